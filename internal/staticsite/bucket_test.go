package staticsite_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/staticsite"
)

// testBucket opens a fresh prefix of the test S3 server's bucket, or
// skips the test.
func testBucket(t *testing.T) media.Storage {
	t.Helper()
	endpoint := os.Getenv("NEWSDESK_TEST_S3_ENDPOINT")
	if endpoint == "" {
		t.Skip("NEWSDESK_TEST_S3_ENDPOINT is unset: no S3-compatible server (source scripts/services/s3.sh starts one)")
	}
	st, err := media.OpenS3(context.Background(), fmt.Sprintf("s3://%s/static-test-%d", os.Getenv("NEWSDESK_TEST_S3_BUCKET"), time.Now().UnixNano()),
		media.S3Server{Endpoint: endpoint, Region: "us-east-1", AccessKey: os.Getenv("NEWSDESK_TEST_S3_ACCESS_KEY"), SecretKey: os.Getenv("NEWSDESK_TEST_S3_SECRET_KEY")})
	if err != nil {
		t.Fatalf("NEWSDESK_TEST_S3_ENDPOINT is set but the bucket does not open: %v", err)
	}
	return st
}

// bucketHolds checks that the bucket holds exactly the folder's files
// (without the precompressed copies), byte for byte.
func bucketHolds(t *testing.T, st media.Storage, dir string, m staticsite.Manifest) {
	t.Helper()
	ctx := context.Background()
	keys := map[string]bool{}
	must(t, st.List(ctx, "", func(fi media.FileInfo) error { keys[fi.Key] = true; return nil }))
	want := 0
	for rel := range m {
		if strings.HasSuffix(rel, ".gz") || strings.HasSuffix(rel, ".br") {
			if keys[rel] {
				t.Errorf("the bucket has the precompressed %s", rel)
			}
			continue
		}
		want++
		if !keys[rel] {
			t.Errorf("the bucket lacks %s", rel)
		}
	}
	if len(keys) != want {
		t.Errorf("the bucket has %d objects, the folder %d files", len(keys), want)
	}
	for _, rel := range []string{"index.html", "rss.xml", "sitemap.xml"} {
		f, err := st.Get(ctx, rel)
		must(t, err)
		got, _ := io.ReadAll(f)
		f.Close()
		file, err := os.ReadFile(filepath.Join(dir, rel))
		must(t, err)
		if !bytes.Equal(got, file) {
			t.Errorf("the bucket's %s is not the folder's", rel)
		}
	}
}

// TestPublishingIntoAnS3Bucket: serve --static-out --static-bucket on a
// real S3 server (versitygw). The first sync puts every file and deletes
// what the bucket held that is not on the site; a withdrawal then deletes
// the story's page from the bucket and puts the lists again.
func TestPublishingIntoAnS3Bucket(t *testing.T) {
	st := testBucket(t)
	ctx := context.Background()
	must(t, st.Put(ctx, "defaced.html", strings.NewReader("<h1>hacked</h1>"), 15, "text/html"))
	s := newSite(t)
	synced := make(chan struct{}, 16)
	updates := make(chan error, 16)
	pub := &staticsite.Publisher{Exporter: s.ex, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Bucket: &staticsite.Bucket{Storage: st, Name: "test bucket"},
		Synced: func() { synced <- struct{}{} },
		Done:   func(_ staticsite.Result, err error) { updates <- err }}
	s.app.OnChange(pub.Changed)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- pub.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	wait := func(what string) {
		t.Helper()
		select {
		case <-synced:
		case <-time.After(2 * time.Minute):
			t.Fatalf("no sync after %s", what)
		}
		must(t, <-updates)
	}
	wait("the export")
	m, err := staticsite.ReadManifest(staticsite.ManifestPath(s.out))
	must(t, err)
	bucketHolds(t, st, s.out, m)

	admin, err := s.app.Store.UserByName(ctx, "admin")
	must(t, err)
	a, err := s.app.Store.Article(ctx, 7)
	must(t, err)
	_, err = s.app.Articles.Transition(ctx, model.Actor{User: admin, Via: "desk"}, 7, a.Version, "withdraw", "测试", time.Time{})
	must(t, err)
	wait("the withdrawal")
	m, err = staticsite.ReadManifest(staticsite.ManifestPath(s.out))
	must(t, err)
	if _, ok := m["articles/7/index.html"]; ok {
		t.Fatal("the withdrawn story is still in the folder")
	}
	bucketHolds(t, st, s.out, m)
	if _, err := st.Stat(ctx, "articles/7/index.html"); err == nil {
		t.Error("the withdrawn story is still in the bucket")
	}
}

// TestBucketContentTypes: the types objects are put with.
func TestBucketContentTypes(t *testing.T) {
	for rel, want := range map[string]string{
		"index.html": "text/html; charset=utf-8", "articles/7/index-2.html": "text/html; charset=utf-8",
		"rss.xml": "application/xml; charset=utf-8", "robots.txt": "text/plain; charset=utf-8",
		"media/ab/abc.webp": "image/webp", "static/app.1234.css": "text/css; charset=utf-8",
	} {
		if got := staticsite.ContentType(rel); got != want {
			t.Errorf("%s: %s, want %s", rel, got, want)
		}
	}
}
