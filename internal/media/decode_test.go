package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"sync"
	"testing"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// pixBytes is the memory of a decoded image's pixels.
func pixBytes(img image.Image) int64 {
	switch i := img.(type) {
	case *image.YCbCr:
		return int64(len(i.Y) + len(i.Cb) + len(i.Cr))
	case *image.Gray:
		return int64(len(i.Pix))
	case *image.Gray16:
		return int64(len(i.Pix))
	case *image.NRGBA:
		return int64(len(i.Pix))
	case *image.NRGBA64:
		return int64(len(i.Pix))
	case *image.RGBA:
		return int64(len(i.Pix))
	case *image.RGBA64:
		return int64(len(i.Pix))
	case *image.Paletted:
		return int64(len(i.Pix))
	}
	panic(fmt.Sprintf("no size for %T", img))
}

// TestDecodedSizeIsEstimatedFromTheHeader: the estimate follows bit
// depth, colour type, subsampling and progressive coding, and is never
// below what the decoder actually holds.
func TestDecodedSizeIsEstimatedFromTheHeader(t *testing.T) {
	const w, h = 320, 208 // whole JPEG blocks, so that the estimate is exact
	encPNG := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	rect := image.Rect(0, 0, w, h)
	rgba64 := image.NewNRGBA64(rect)
	rgba64.Set(1, 1, color.NRGBA64{1, 2, 3, 4}) // not opaque: stays 16-bit RGBA
	photo := testPhoto(t, 3, w, h)              // baseline JPEG, 4:2:0
	img, _ := jpeg.Decode(bytes.NewReader(photo))
	var prog bytes.Buffer
	if err := jpeg.Encode(&prog, img, nil); err != nil {
		t.Fatal(err)
	}
	progressive := bytes.Replace(prog.Bytes(), []byte{0xFF, 0xC0}, []byte{0xFF, 0xC2}, 1) // a single-scan progressive frame header
	for _, c := range []struct {
		name   string
		data   []byte
		ctype  string
		perPx  float64 // decoded bytes a pixel, as estimated
		decode bool
	}{
		{"8-bit grey PNG", encPNG(image.NewGray(rect)), "image/png", 1, true},
		{"16-bit RGBA PNG", encPNG(rgba64), "image/png", 8, true},
		{"baseline 4:2:0 JPEG", photo, "image/jpeg", 1.5, true},
		{"progressive 4:2:0 JPEG", progressive, "image/jpeg", 1.5 * 5, false},
	} {
		hd, err := inspect(c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if hd.ctype != c.ctype || hd.cost.decoded != int64(c.perPx*w*h) {
			t.Errorf("%s: %s, decoded estimate %d, want %.0f", c.name, hd.ctype, hd.cost.decoded, c.perPx*w*h)
		}
		if c.decode {
			img, _, err := decodeImage(c.data)
			if err != nil {
				t.Fatal(err)
			}
			if got := pixBytes(img); got > hd.cost.decoded {
				t.Errorf("%s: decodes to %d bytes, more than the estimated %d", c.name, got, hd.cost.decoded)
			}
		}
		if hd.cost.upload < hd.cost.decoded || hd.cost.variants < hd.cost.decoded {
			t.Errorf("%s: upload %d / variants %d below the decoded %d", c.name, hd.cost.upload, hd.cost.variants, hd.cost.decoded)
		}
	}
}

// TestImageNeedingMoreThanTheBudgetIsRefused: the refusal names the file
// and its size, and nothing is stored.
func TestImageNeedingMoreThanTheBudgetIsRefused(t *testing.T) {
	s := newService(t)
	s.DecodeBudget = 1 << 20
	data := pngBytes(t, 2000, 1000) // 2 MB decoded
	_, err := s.Save(context.Background(), model.SystemActor("test"), "大图.png", data, model.Media{})
	var ie *model.InvalidError
	if !errors.As(err, &ie) || ie.Code != "upload_memory" || ie.Args[0] != "大图.png" || ie.Args[1] != 2000 || ie.Args[2] != 1000 || ie.Args[4] != int64(1) {
		t.Fatalf("refusal = %v (%+v)", err, ie)
	}
	if ms, _, _ := s.Store.MediaList(context.Background(), store.MediaQuery{}); len(ms) != 0 {
		t.Errorf("a refused image was stored: %+v", ms)
	}
}

// TestConcurrentDecodesStayWithinTheBudget: uploads and variant jobs run
// at once hold no more than the budget between them, and all finish.
func TestConcurrentDecodesStayWithinTheBudget(t *testing.T) {
	for _, fit := range []int64{1, 2} { // the budget holds one image's need, or two
		t.Run(fmt.Sprintf("%d at once", fit), func(t *testing.T) {
			s := newService(t)
			s.MaxSize = 8 << 20
			photos := make([][]byte, 4)
			var need int64
			for i := range photos {
				photos[i] = testPhoto(t, 40+i, 1200, 800)
				h, err := inspect(photos[i])
				if err != nil {
					t.Fatal(err)
				}
				need = max(need, h.cost.need())
			}
			s.DecodeBudget = fit * need
			ctx := context.Background()
			ids := make(chan int64, len(photos))
			var wg sync.WaitGroup
			errs := make(chan error, 2*len(photos))
			for i, p := range photos {
				wg.Add(1)
				go func() {
					defer wg.Done()
					m, err := s.Save(ctx, model.SystemActor("test"), fmt.Sprintf("p%d.jpg", i), p, model.Media{})
					if err != nil {
						errs <- err
						return
					}
					ids <- m.ID
					wg.Add(1)
					go func() { // the variants of one while others upload
						defer wg.Done()
						if err := s.MakeVariants(ctx, m.ID); err != nil {
							errs <- err
						}
					}()
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			g := s.decodes()
			if peak := g.peak.Load(); peak > g.budget || peak == 0 || g.inUse.Load() != 0 {
				t.Errorf("budget %d: peak %d, in use after %d", g.budget, peak, g.inUse.Load())
			}
			if len(ids) != len(photos) {
				t.Errorf("%d of %d uploads saved", len(ids), len(photos))
			}
		})
	}
}
