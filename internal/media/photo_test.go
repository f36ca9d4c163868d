package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

// forStorages runs fn with a fresh service on every test storage.
func forStorages(t *testing.T, fn func(t *testing.T, s *Service)) {
	for name, files := range testStorages(t) {
		t.Run(name, func(t *testing.T) {
			db, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			fn(t, &Service{Store: db, Files: files, MaxSize: 20 << 20})
		})
	}
}

func read(t *testing.T, s *Service, key string) []byte {
	t.Helper()
	f, err := s.Files.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// exifAPP1 is an EXIF block as a phone writes it: the orientation, a
// description and a GPS position.
func exifAPP1(orientation uint16) []byte {
	le := binary.LittleEndian
	var t bytes.Buffer
	t.WriteString("II*\x00")
	binary.Write(&t, le, uint32(8))
	desc := "GPS-SECRET 29.5630N 106.4650E\x00"
	// IFD0 at 8: three entries, then the next-IFD offset.
	ifd0End := 8 + 2 + 3*12 + 4
	gpsAt := ifd0End + len(desc)
	binary.Write(&t, le, uint16(3))
	entry := func(tag, typ uint16, count, value uint32) {
		binary.Write(&t, le, tag)
		binary.Write(&t, le, typ)
		binary.Write(&t, le, count)
		binary.Write(&t, le, value)
	}
	entry(0x010E, 2, uint32(len(desc)), uint32(ifd0End)) // ImageDescription
	entry(0x0112, 3, 1, uint32(orientation))             // Orientation (SHORT, left-justified)
	entry(0x8825, 4, 1, uint32(gpsAt))                   // GPS IFD
	binary.Write(&t, le, uint32(0))
	t.WriteString(desc)
	binary.Write(&t, le, uint16(1))
	entry(0x0001, 2, 2, uint32('N')) // GPSLatitudeRef "N"
	binary.Write(&t, le, uint32(0))
	payload := append([]byte("Exif\x00\x00"), t.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// testPhoto is a w×h JPEG with gradients and grain, like a photo to the
// encoders (package demo draws nicer ones, but it imports this package).
func testPhoto(t testing.TB, seed, w, h int) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	x := uint32(seed*2654435761 + 1)
	for y := 0; y < h; y++ {
		for i := 0; i < w; i++ {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			img.Y[y*img.YStride+i] = uint8((i*255/w+y*128/h)/2 + int(x%40))
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(100+i%50), uint8(140-i%30)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// halves is w×h, red on the left half, blue on the right.
func halves(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{220, 20, 20, 255}
			if x >= w/2 {
				c = color.RGBA{20, 20, 220, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func jpegWithEXIF(t *testing.T, img image.Image, orientation uint16) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	return append(append(append([]byte{}, data[:2]...), exifAPP1(orientation)...), data[2:]...)
}

func TestServedPhotoIsUprightAndHasNoPrivateEXIF(t *testing.T) {
	forStorages(t, func(t *testing.T, s *Service) {
		ctx := context.Background()
		upload := jpegWithEXIF(t, halves(80, 40), 6) // stored sideways: turn 90° clockwise
		m, err := s.Save(ctx, model.SystemActor("test"), "手机照片.jpg", upload, model.Media{Alt: "x", Caption: "运动会"})
		if err != nil {
			t.Fatal(err)
		}
		if m.Width != 40 || m.Height != 80 {
			t.Errorf("recorded %d×%d, want the upright 40×80", m.Width, m.Height)
		}
		served := read(t, s, m.Key)
		if bytes.Contains(served, []byte("Exif")) || bytes.Contains(served, []byte("SECRET")) {
			t.Error("the served copy still carries EXIF")
		}
		img, err := jpeg.Decode(bytes.NewReader(served))
		if err != nil {
			t.Fatal(err)
		}
		// Turned clockwise, the left (red) half is on top.
		top, bottom := img.At(20, 10), img.At(20, 70)
		if r, _, b, _ := top.RGBA(); r < b {
			t.Errorf("top is %v, want red", top)
		}
		if r, _, b, _ := bottom.RGBA(); b < r {
			t.Errorf("bottom is %v, want blue", bottom)
		}
		if m.OriginalKey == m.Key || !bytes.Equal(read(t, s, m.OriginalKey), upload) {
			t.Error("the original was not kept untouched apart from the served copy")
		}

		// Upright already: the picture's bytes stay, only the metadata goes.
		upright := jpegWithEXIF(t, halves(80, 40), 1)
		m2, err := s.Save(ctx, model.SystemActor("test"), "upright.jpg", upright, model.Media{Alt: "x"})
		if err != nil {
			t.Fatal(err)
		}
		served2 := read(t, s, m2.Key)
		if bytes.Contains(served2, []byte("SECRET")) || m2.Width != 80 {
			t.Errorf("upright photo: %d×%d, EXIF left: %v", m2.Width, m2.Height, bytes.Contains(served2, []byte("SECRET")))
		}
		if len(upright)-len(served2) != len(exifAPP1(1)) {
			t.Errorf("stripping changed more than the EXIF segment: %d → %d bytes", len(upright), len(served2))
		}
	})
}

func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(append(out, typ...), data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

func TestPNGAndWebPLoseTheirMetadata(t *testing.T) {
	forStorages(t, func(t *testing.T, s *Service) {
		ctx := context.Background()
		var b bytes.Buffer
		png.Encode(&b, halves(30, 20))
		p := b.Bytes()
		// After the signature (8) and IHDR (25): a text chunk and an EXIF chunk.
		withText := append(append(append([]byte{}, p[:33]...), append(pngChunk("tEXt", []byte("Location\x00GPS-SECRET")), pngChunk("eXIf", []byte("MM\x00*SECRET"))...)...), p[33:]...)
		m, err := s.Save(ctx, model.SystemActor("test"), "图.png", withText, model.Media{Alt: "x"})
		if err != nil {
			t.Fatal(err)
		}
		served := read(t, s, m.Key)
		if bytes.Contains(served, []byte("SECRET")) || !bytes.Equal(served, p) {
			t.Errorf("PNG served with %d bytes (clean is %d), secret left: %v", len(served), len(p), bytes.Contains(served, []byte("SECRET")))
		}

		// A 1×1 lossy WebP in an extended container with an EXIF chunk.
		vp8 := webp1x1[12:]
		vp8x := append([]byte("VP8X"), 10, 0, 0, 0, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0)
		exif := append([]byte("EXIF"), 10, 0, 0, 0)
		exif = append(exif, "II*\x00SECRET"...)
		body := append(append(append([]byte("WEBP"), vp8x...), vp8...), exif...)
		wp := append(binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(len(body))), body...)
		m, err = s.Save(ctx, model.SystemActor("test"), "w.webp", wp, model.Media{Alt: "x"})
		if err != nil {
			t.Fatal(err)
		}
		served = read(t, s, m.Key)
		if bytes.Contains(served, []byte("SECRET")) || served[20]&0x08 != 0 || int(binary.LittleEndian.Uint32(served[4:])) != len(served)-8 {
			t.Errorf("WebP served: % x", served)
		}
		if _, _, err := image.Decode(bytes.NewReader(served)); err != nil {
			t.Errorf("stripped WebP no longer decodes: %v", err)
		}
	})
}

// webp1x1 is a 1×1 lossy WebP.
var webp1x1 = []byte("RIFF\x22\x00\x00\x00WEBPVP8 \x16\x00\x00\x00\x30\x01\x00\x9d\x01\x2a\x01\x00\x01\x00\x0e\xc0\xfe\x25\xa4\x00\x03\x70\x00\x00\x00\x00")

func TestHEICIsServedAsJPEGWithTheOriginalKept(t *testing.T) {
	heic, err := os.ReadFile("testdata/photo.heic") // made with heif-enc from a demo photo
	if err != nil {
		t.Fatal(err)
	}
	forStorages(t, func(t *testing.T, s *Service) {
		m, err := s.Save(context.Background(), model.SystemActor("test"), "IMG_0012.HEIC", heic, model.Media{Alt: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if m.ContentType != "image/jpeg" || m.Name != "IMG_0012.jpg" || m.Width != 400 || m.Height != 300 {
			t.Errorf("saved %+v", m)
		}
		if _, err := jpeg.Decode(bytes.NewReader(read(t, s, m.Key))); err != nil {
			t.Errorf("served copy: %v", err)
		}
		if !strings.HasSuffix(m.OriginalKey, ".heic") || !bytes.Equal(read(t, s, m.OriginalKey), heic) {
			t.Errorf("original %q not kept", m.OriginalKey)
		}
	})
}

// withSize patches a PNG's declared size (and its header's checksum).
func withSize(p []byte, w, h uint32) []byte {
	p = append([]byte{}, p...)
	binary.BigEndian.PutUint32(p[16:], w)
	binary.BigEndian.PutUint32(p[20:], h)
	binary.BigEndian.PutUint32(p[29:], crc32.ChecksumIEEE(p[12:29]))
	return p
}

func TestBadUploadsAreRefusedClearly(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	small := pngBytes(t, 10, 10)
	photo := testPhoto(t, 3, 300, 200)
	sof := bytes.Index(photo, []byte{0xFF, 0xC0})
	jpegBomb := append([]byte{}, photo...)
	binary.BigEndian.PutUint16(jpegBomb[sof+5:], 60000) // height
	binary.BigEndian.PutUint16(jpegBomb[sof+7:], 60000) // width
	for _, tc := range []struct {
		name string
		data []byte
		code string
	}{
		{"bomb.png", withSize(small, 100000, 100000), "upload_pixels"}, // 100 bytes declaring 10 gigapixels
		{"bomb.jpg", jpegBomb, "upload_pixels"},
		{"cut.jpg", photo[:len(photo)*2/3], "upload_unreadable"},
		{"corrupt.png", append(append([]byte{}, small[:40]...), bytes.Repeat([]byte{0xAB}, 40)...), "upload_unreadable"},
		{"logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "upload_type"},
		{"photo.jpg", []byte("<html><script>alert(1)</script></html>"), "upload_type"},
		{"empty.jpg", nil, "upload_type"},
		{"big.jpg", append(append([]byte{}, photo...), make([]byte, 1<<20)...), "upload_size"},
	} {
		var ie *model.InvalidError
		_, err := s.Save(ctx, model.SystemActor("test"), tc.name, tc.data, model.Media{Alt: "x"})
		if !errors.Is(err, ErrRefused) || !errors.As(err, &ie) || ie.Code != tc.code || ie.Args[0] != tc.name {
			t.Errorf("%s: %v, want refused as %s naming the file", tc.name, err, tc.code)
		}
	}
	if list, total, _ := s.Store.MediaList(ctx, store.MediaQuery{}); total != 0 {
		t.Errorf("refused uploads left %d records: %+v", total, list)
	}
	n := 0
	s.Files.List(ctx, "", func(FileInfo) error { n++; return nil })
	if n != 0 {
		t.Errorf("refused uploads left %d files", n)
	}
}

func TestVariantsAreMadeNeverEnlargedAndRecorded(t *testing.T) {
	forStorages(t, func(t *testing.T, s *Service) {
		ctx := context.Background()
		changed := 0
		s.Changed = func() { changed++ }
		photo := testPhoto(t, 4, 2000, 1500)
		var small, tiny, anim bytes.Buffer
		png.Encode(&small, halves(600, 400))
		png.Encode(&tiny, halves(300, 200))
		gif.Encode(&anim, halves(1000, 500), nil)
		want := map[string][]int{"大.jpg": {480, 960, 1600}, "中.png": {480}, "小.png": nil, "动图.gif": nil}
		for name, data := range map[string][]byte{"大.jpg": photo, "中.png": small.Bytes(), "小.png": tiny.Bytes(), "动图.gif": anim.Bytes()} {
			m, err := s.Save(ctx, model.SystemActor("test"), name, data, model.Media{Alt: "x"})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.MakeVariants(ctx, m.ID); err != nil {
				t.Fatal(err)
			}
			vars, err := s.Store.Variants(ctx, []int64{m.ID})
			if err != nil {
				t.Fatal(err)
			}
			var widths []int
			for _, v := range vars[m.ID] {
				if v.ContentType == m.ContentType {
					widths = append(widths, v.Width)
				}
				img, format, err := image.Decode(bytes.NewReader(read(t, s, v.Key)))
				if err != nil || "image/"+format != v.ContentType || img.Bounds().Dx() != v.Width || img.Bounds().Dy() != v.Height {
					t.Errorf("%s variant %+v: decodes as %s %v (%v)", name, v, format, img.Bounds(), err)
				}
				if v.Height != (m.Height*v.Width+m.Width/2)/m.Width {
					t.Errorf("%s variant %d×%d does not keep the %d×%d ratio", name, v.Width, v.Height, m.Width, m.Height)
				}
				if !strings.Contains(v.Key, m.Checksum[:32]) {
					t.Errorf("variant key %s is not named by its source's checksum", v.Key)
				}
			}
			if !slices.Equal(widths, want[name]) || len(vars[m.ID]) != 2*len(want[name]) {
				t.Errorf("%s: variants %v (%d in all), want %v in its format and WebP", name, widths, len(vars[m.ID]), want[name])
			}
		}
		if changed != 4 {
			t.Errorf("pages were told of %d changes, want 4", changed)
		}
	})
}

func TestDeleteKeepsBytesAnotherRecordShares(t *testing.T) {
	forStorages(t, func(t *testing.T, s *Service) {
		ctx := context.Background()
		photo := testPhoto(t, 5, 1200, 800)
		a, err := s.Save(ctx, model.SystemActor("test"), "a.jpg", photo, model.Media{Alt: "x"})
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Save(ctx, model.SystemActor("test"), "b.jpg", photo, model.Media{Alt: "y"})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []model.Media{a, b} {
			if err := s.MakeVariants(ctx, m.ID); err != nil {
				t.Fatal(err)
			}
		}
		va, _ := s.Store.Variants(ctx, []int64{a.ID})
		if err := s.Delete(ctx, model.SystemActor("test"), a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Files.Stat(ctx, a.Key); err != nil {
			t.Errorf("the bytes b shares were deleted: %v", err)
		}
		if _, err := s.Files.Stat(ctx, va[a.ID][0].Key); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("a's variant is left: %v", err)
		}
		if err := s.Delete(ctx, model.SystemActor("test"), b.ID); err != nil {
			t.Fatal(err)
		}
		n := 0
		s.Files.List(ctx, "", func(FileInfo) error { n++; return nil })
		if n != 0 {
			t.Errorf("%d files left after both were deleted", n)
		}
	})
}
