package importer

import (
	"context"
	"runtime"
	"sync"

	"newsdesk/internal/media"
	"newsdesk/internal/model"
)

// Checking a photo (its whole structure, media.CheckStructure) and making
// its served copy are the CPU-bound part of an import's photos, and
// writing stories is one transaction at a time: so while the stories are
// written in order, GOMAXPROCS workers download and check the pictures of
// the items just ahead, and store their files (media.PutChecked), so that
// the story loop only records them. What they make is only a head start: the story
// loop still decides, one item at a time and in the source's order, which
// bytes are new, which photo is reused and what failed (pictures uses a
// ready picture instead of fetching and checking it again), so the result
// is the same as without them, whatever order the workers finish in.

// ready is a picture fetched, and checked when it is new, ahead of its item.
type ready struct {
	data     []byte
	fetchErr error
	checked  *media.Checked
	checkErr error
}

// ahead prepares items' pictures in the background, a bounded window
// ahead of the story loop.
type ahead struct {
	slots  []aheadSlot
	window chan struct{}
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type aheadSlot struct {
	done chan struct{}
	pics map[string]*ready
}

// startAhead starts the workers on items; Stop must be called.
func (r *run) startAhead(ctx context.Context, items []Item) *ahead {
	workers := r.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	a := &ahead{slots: make([]aheadSlot, len(items)), window: make(chan struct{}, 8*workers), cancel: cancel}
	for i := range a.slots {
		a.slots[i].done = make(chan struct{})
	}
	jobs := make(chan int)
	a.wg.Go(func() {
		defer close(jobs)
		for i := range items {
			select {
			case a.window <- struct{}{}: // given back when item i is taken
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	})
	for range workers {
		a.wg.Go(func() {
			for i := range jobs {
				a.slots[i].pics = r.prepare(ctx, items[i])
				close(a.slots[i].done)
			}
		})
	}
	return a
}

// take waits for item i's pictures (nil when they were not prepared) and
// lets the workers start on the next item.
func (a *ahead) take(ctx context.Context, i int) map[string]*ready {
	select {
	case <-a.slots[i].done:
	case <-ctx.Done():
		return nil
	}
	pics := a.slots[i].pics
	a.slots[i].pics = nil
	<-a.window
	return pics
}

// stop ends the workers and waits for them.
func (a *ahead) stop() {
	a.cancel()
	a.wg.Wait()
}

// prepare fetches an item's pictures and checks the new ones, reading the
// store but writing nothing. It leaves out what the story loop will not
// need: an unchanged story's pictures, a picture imported before from its
// address.
func (r *run) prepare(ctx context.Context, it Item) map[string]*ready {
	if it.Kind != KindPage {
		prev, err := r.Store.ImportRecord(ctx, r.source, it.Original)
		if err == nil && prev.Digest == it.Digest() {
			return nil
		}
	}
	srcs := imageSources(it.Body)
	if it.Lead != "" && !contains(srcs, it.Lead) {
		srcs = append([]string{it.Lead}, srcs...)
	}
	pics := map[string]*ready{}
	for _, src := range srcs {
		if ctx.Err() != nil {
			return pics
		}
		if rec, err := r.Store.ImportRecord(ctx, r.source, src); err == nil && rec.Kind == model.ImportMedia {
			continue
		}
		p := &ready{}
		p.data, p.fetchErr = r.fetch.fetch(ctx, src)
		if p.fetchErr == nil {
			// Not asked first whether the library has these bytes: the story
			// loop asks, and asking twice cost more (two queries a picture,
			// 5% of a fresh import's CPU) than the rare decode it saves.
			p.checked, p.checkErr = r.Media.CheckStructure(ctx, imageName(src), p.data)
			if p.checkErr == nil {
				// Its files too (named by checksum: harmless when the
				// story loop finds the photo in the library already);
				// one that fails here is stored again when saved.
				_ = r.Media.PutChecked(ctx, p.checked)
			}
		}
		if ctx.Err() != nil && (p.fetchErr != nil || p.checkErr != nil) {
			return pics // cut short: not a result of the picture's
		}
		pics[src] = p
	}
	return pics
}

// result is what checking a picture ahead gave, and whether it was checked.
func (p *ready) result() (*media.Checked, bool, error) {
	if p == nil || (p.checked == nil && p.checkErr == nil) {
		return nil, false, nil
	}
	return p.checked, true, p.checkErr
}
