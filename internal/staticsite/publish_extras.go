package staticsite

import (
	"context"
	"time"
)

// afterWrite runs after every export and update of a Publisher's folder:
// the redirect table beside it, and the bucket copy. A failure is logged;
// the next change tries again.
func (p *Publisher) afterWrite(ctx context.Context) {
	e := p.Exporter
	if p.Redirects != nil {
		path := p.RedirectsFile
		if path == "" {
			path = RedirectsPath(e.Dir)
		}
		if _, err := WriteRedirects(ctx, p.Redirects, path); err != nil {
			p.Log.Error("static redirects", "file", path, "err", err)
		}
	}
	if p.Bucket != nil {
		start := time.Now()
		res, err := p.Bucket.Sync(ctx, e)
		if err != nil {
			p.Log.Error("static bucket", "bucket", p.Bucket.Name, "err", err)
			return
		}
		if res.Put+res.Deleted > 0 {
			p.Log.Info("static bucket updated", "bucket", p.Bucket.Name, "put", res.Put, "deleted", res.Deleted, "took", time.Since(start).Round(time.Millisecond))
		}
	}
	if p.Synced != nil {
		p.Synced()
	}
}
