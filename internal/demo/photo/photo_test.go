package photo

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"testing"
)

func decodePhoto(t *testing.T, seed uint64, w, h int) (image.Image, []byte) {
	t.Helper()
	b, err := JPEG(seed, w, h)
	if err != nil {
		t.Fatalf("JPEG(%d, %d, %d): %v", seed, w, h, err)
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("JPEG(%d, %d, %d) is not a JPEG: %v", seed, w, h, err)
	}
	return img, b
}

func TestPhotoDecodesAtRequestedSize(t *testing.T) {
	for _, size := range []struct{ w, h int }{{1200, 800}, {960, 640}, {640, 960}, {320, 200}, {17, 33}} {
		img, _ := decodePhoto(t, 5, size.w, size.h)
		if got := img.Bounds().Size(); got.X != size.w || got.Y != size.h {
			t.Errorf("asked for %d×%d, got %d×%d", size.w, size.h, got.X, got.Y)
		}
	}
}

func TestPhotoIsDeterministic(t *testing.T) {
	a, err := JPEG(77, 600, 400)
	if err != nil {
		t.Fatal(err)
	}
	b, err := JPEG(77, 600, 400)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed gave different bytes")
	}
}

func TestDifferentSeedsGiveDifferentPhotos(t *testing.T) {
	const w, h = 300, 200
	imgs := make([]image.Image, 8)
	for i := range imgs {
		imgs[i], _ = decodePhoto(t, uint64(i+1), w, h)
	}
	for i := range imgs {
		for j := i + 1; j < len(imgs); j++ {
			var diff float64
			for y := 0; y < h; y += 2 {
				for x := 0; x < w; x += 2 {
					diff += math.Abs(luma(imgs[i].At(x, y)) - luma(imgs[j].At(x, y)))
				}
			}
			if mean := diff / float64(w*h/4); mean < 4 {
				t.Errorf("seeds %d and %d differ by only %.1f levels on average", i+1, j+1, mean)
			}
		}
	}
}

func TestPhotoIsNotFlat(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		img, _ := decodePhoto(t, seed, 400, 300)
		var sum, sq float64
		colours := map[[3]uint32]bool{}
		n := 0
		for y := 0; y < 300; y++ {
			for x := 0; x < 400; x++ {
				c := img.At(x, y)
				v := luma(c)
				sum += v
				sq += v * v
				n++
				r, g, b, _ := c.RGBA()
				colours[[3]uint32{r >> 12, g >> 12, b >> 12}] = true
			}
		}
		mean := sum / float64(n)
		sd := math.Sqrt(sq/float64(n) - mean*mean)
		if sd < 10 {
			t.Errorf("seed %d: luminance standard deviation %.1f, want a varied picture", seed, sd)
		}
		if len(colours) < 40 {
			t.Errorf("seed %d: only %d distinct coarse colours", seed, len(colours))
		}
	}
}

func TestPhotoFileSizeSuitsTheWeb(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		_, b := decodePhoto(t, seed, 1200, 800)
		if kb := len(b) / 1024; kb < 60 || kb > 250 {
			t.Errorf("seed %d: 1200×800 photo is %d KB, want 60–250 KB", seed, kb)
		}
	}
}

func TestPhotoRejectsImpossibleSizes(t *testing.T) {
	for _, size := range []struct{ w, h int }{{0, 100}, {100, 0}, {-5, 10}, {8, 8}, {20000, 100}} {
		if _, err := JPEG(1, size.w, size.h); err == nil {
			t.Errorf("JPEG(1, %d, %d) succeeded, want an error", size.w, size.h)
		}
	}
}

// luma is the Rec. 601 luminance of c on a 0–255 scale.
func luma(c interface{ RGBA() (r, g, b, a uint32) }) float64 {
	r, g, b, _ := c.RGBA()
	return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 257
}

func BenchmarkPhoto(b *testing.B) {
	var seed uint64
	for b.Loop() {
		seed++
		if _, err := JPEG(seed, 1200, 800); err != nil {
			b.Fatal(err)
		}
	}
}
