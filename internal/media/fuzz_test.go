package media

import (
	"bytes"
	"image"
	"image/gif"
	"image/png"
	"os"
	"testing"
)

func seedImages(f *testing.F) {
	var p, g bytes.Buffer
	png.Encode(&p, halves(16, 9))
	gif.Encode(&g, halves(9, 16), nil)
	f.Add(p.Bytes())
	f.Add(g.Bytes())
	f.Add(webp1x1)
	f.Add(jpegWithEXIF(&testing.T{}, halves(12, 8), 6))
	f.Add(withSize(p.Bytes(), 100000, 100000))
	if heic, err := os.ReadFile("testdata/photo.heic"); err == nil {
		f.Add(heic)
	}
}

// FuzzCheckImage: whatever the bytes, the upload checks answer without
// panicking, accept only images within the pixel bound, and what they
// accept can be served: the metadata stripping leaves a decodable file
// of the same size.
func FuzzCheckImage(f *testing.F) {
	seedImages(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		jpegOrientation(data)
		img, ctype, err := decodeImage(data)
		if err != nil {
			return
		}
		b := img.Bounds()
		if b.Dx()*b.Dy() > MaxPixels || b.Empty() {
			t.Fatalf("accepted %v", b)
		}
		served, stype, simg, err := servedCopy(data, ctype, img)
		if err != nil {
			return // malformed around the picture: refused too
		}
		back, _, err := image.Decode(bytes.NewReader(served))
		if err != nil {
			t.Fatalf("served %s (from %s) does not decode: %v", stype, ctype, err)
		}
		if back.Bounds().Size() != simg.Bounds().Size() {
			t.Fatalf("served %v, recorded %v", back.Bounds(), simg.Bounds())
		}
	})
}

// FuzzVariants: any accepted image resizes to exactly the size asked and
// turns to any EXIF orientation, without panicking.
func FuzzVariants(f *testing.F) {
	seedImages(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		img, _, err := decodeImage(data)
		if err != nil || img.Bounds().Dx()*img.Bounds().Dy() > 4<<20 {
			return
		}
		b := img.Bounds()
		w := 1 + len(data)%b.Dx()
		h := max(1, b.Dy()*w/b.Dx())
		if got := resize(img, w, h).Bounds(); got != image.Rect(0, 0, w, h) {
			t.Fatalf("resize %v to %d×%d gave %v", b, w, h, got)
		}
		o := 1 + len(data)%8
		got := orient(img, o).Bounds().Size()
		want := b.Size()
		if o >= 5 {
			want = image.Pt(want.Y, want.X)
		}
		if got != want {
			t.Fatalf("orientation %d of %v gave %v", o, b.Size(), got)
		}
	})
}
