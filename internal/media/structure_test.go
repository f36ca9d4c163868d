package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"go/build"
	"hash/crc32"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"newsdesk/internal/model"
)

// decoderCorpus is every image the Go and x/image decoders' own tests
// use (progressive, subsampled, CMYK, restart intervals, interlaced PNGs
// of every depth, GIFs, lossy and lossless WebP), read from the Go tree
// and the module cache; the test is skipped without them.
func decoderCorpus(t *testing.T) map[string][]byte {
	t.Helper()
	var globs []string
	//lint:ignore SA1019 the test reads the decoders' own test images from the Go tree
	root := runtime.GOROOT()
	globs = append(globs, filepath.Join(root, "src/image/testdata/*"), filepath.Join(root, "src/image/png/testdata/pngsuite/*.png"))
	modcache := os.Getenv("GOMODCACHE")
	if modcache == "" {
		modcache = filepath.Join(build.Default.GOPATH, "pkg/mod")
	}
	globs = append(globs, filepath.Join(modcache, "golang.org/x/image@*/testdata/*.webp"))
	out := map[string][]byte{}
	for _, g := range globs {
		names, _ := filepath.Glob(g)
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil {
				out[filepath.Base(filepath.Dir(n))+"/"+filepath.Base(n)] = b
			}
		}
	}
	if len(out) < 50 {
		t.Skip("the Go tree's image test files are not here (GOROOT/src/image/testdata): no corpus to check against")
	}
	return out
}

// decodes says whether the decoders take data whole, as the upload check does.
func decodes(data []byte) bool {
	_, _, err := decodeImage(data)
	return err == nil
}

func TestStructuralCheckAcceptsWhatTheDecodersRead(t *testing.T) {
	n := 0
	for name, data := range decoderCorpus(t) {
		h, err := inspect(data)
		if err != nil || h.ctype == "image/heic" {
			continue
		}
		ok := decodes(data)
		err = checkStructure(data, h.ctype)
		if ok && err != nil {
			t.Errorf("%s decodes, but the structural check refuses it: %v", name, err)
		}
		if !ok && err == nil {
			t.Logf("%s does not decode but is well-formed (the variants job would mark it)", name)
		}
		n++
	}
	for name, data := range map[string][]byte{"photo.jpg": testPhoto(t, 1, 640, 480), "small.png": pngBytes(t, 40, 30), "1x1.webp": webp1x1} {
		h, err := inspect(data)
		if err != nil || checkStructure(data, h.ctype) != nil {
			t.Errorf("%s: %v / %v", name, err, checkStructure(data, h.ctype))
		}
	}
	t.Logf("%d corpus images checked", n)
}

// damaged are files the structural check must refuse, each with what is wrong.
func damaged(t *testing.T) []struct {
	name, want string
	data       []byte
} {
	photo := testPhoto(t, 5, 640, 480)
	small := pngBytes(t, 40, 30)
	// A JPEG whose start-of-scan segment has a wrong length (a header
	// reader stops before it, so only the structural check sees it).
	badLength := append([]byte{}, photo...)
	binary.BigEndian.PutUint16(badLength[bytes.Index(badLength, []byte{0xFF, 0xDA})+2:], 0x0100)
	// A JPEG whose DHT segment is a byte short of its tables.
	shortDHT := append([]byte{}, photo...)
	dht := bytes.Index(shortDHT, []byte{0xFF, 0xC4})
	binary.BigEndian.PutUint16(shortDHT[dht+2:], binary.BigEndian.Uint16(shortDHT[dht+2:])-1)
	// A PNG with one byte of its image data changed, its CRC left.
	badCRC := append([]byte{}, small...)
	idat := bytes.Index(badCRC, []byte("IDAT"))
	badCRC[idat+6] ^= 0x55
	var g bytes.Buffer
	gif.Encode(&g, halves(60, 40), nil)
	return []struct {
		name, want string
		data       []byte
	}{
		{"cut.jpg", "truncated", photo[:len(photo)*2/3]},
		{"no-eoi.jpg", "truncated", photo[:len(photo)-2]},
		{"length.jpg", "scan header", badLength},
		{"dht.jpg", "Huffman", shortDHT},
		{"crc.png", "CRC", badCRC},
		{"cut.png", "", small[:len(small)-20]},
		{"cut.gif", "truncated", g.Bytes()[:g.Len()-1]},
	}
}

func TestStructuralCheckRefusesDamagedFilesClearly(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	for _, tc := range damaged(t) {
		_, err := s.CheckStructure(ctx, tc.name, tc.data)
		var ie *model.InvalidError
		code := "upload_damaged"
		if tc.want == "truncated" {
			code = "upload_truncated"
		}
		if !errors.Is(err, ErrRefused) || !errors.As(err, &ie) || ie.Code != code || len(ie.Args) != 1 || ie.Args[0] != tc.name {
			t.Errorf("%s: %v, want refused as %s naming the file, and only the file", tc.name, err, code)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: refused for %q, want the log's text to say %q", tc.name, err, tc.want)
		}
	}
}

// undecodablePNG is well-formed — every chunk's CRC right, the zlib
// header right — but its compressed data is not deflate: its pixels do
// not decode.
func undecodablePNG(w, h int) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 2, 0, 0, 0)                                    // 8-bit RGB
	idat := append([]byte{0x78, 0x9c}, bytes.Repeat([]byte{0xFF}, 64)...) // BTYPE 11: reserved
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", idat)...)
	return append(out, pngChunk("IEND", nil)...)
}

func TestPixelsThatDoNotDecodeAreMarkedByTheVariantsJob(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	data := undecodablePNG(800, 600)
	if decodes(data) {
		t.Fatal("the test file decodes")
	}
	c, err := s.CheckStructure(ctx, "broken.png", data)
	if err != nil {
		t.Fatalf("the structural check refuses a well-formed file: %v", err)
	}
	m, err := s.SaveChecked(ctx, model.SystemActor("import"), c, model.Media{Alt: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 800 || m.Height != 600 {
		t.Errorf("recorded %d×%d, want the header's 800×600", m.Width, m.Height)
	}
	err = s.MakeVariants(ctx, m.ID)
	if !errors.Is(err, model.ErrPermanent) || !strings.Contains(err.Error(), "broken.png") {
		t.Fatalf("variants job: %v, want a permanent error naming the file", err)
	}
	got, err := s.Store.Media(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Unreadable == "" {
		t.Error("the photo is not marked unreadable")
	}
	if vars, _ := s.Store.Variants(ctx, []int64{m.ID}); len(vars[m.ID]) != 0 {
		t.Errorf("an undecodable photo got variants: %+v", vars[m.ID])
	}
	// A good photo is not marked.
	p, _ := s.CheckStructure(ctx, "good.png", func() []byte { var b bytes.Buffer; png.Encode(&b, halves(900, 600)); return b.Bytes() }())
	good, err := s.SaveChecked(ctx, model.SystemActor("import"), p, model.Media{Alt: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MakeVariants(ctx, good.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Store.Media(ctx, good.ID); got.Unreadable != "" {
		t.Errorf("a good photo is marked unreadable: %s", got.Unreadable)
	}
}

// TestStructuralCheckAgainstDecoding damages real photos at random (cut,
// flipped bytes, a changed segment length) and compares the structural
// check with a whole decode: the structural check must never refuse what
// decodes; what it takes and the decoders refuse is what the variants job
// marks (counted in the log).
func TestStructuralCheckAgainstDecoding(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a few thousand damaged photos")
	}
	originals := [][]byte{testPhoto(t, 7, 320, 240), pngBytes(t, 64, 48)}
	var g bytes.Buffer
	gif.Encode(&g, halves(64, 48), nil)
	originals = append(originals, g.Bytes())
	x := uint32(12345)
	rnd := func(n int) int { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return int(x % uint32(n)) }
	var tried, bothRefuse, bothTake, byStructureOnly, byDecodeOnly int
	for _, orig := range originals {
		ctype := ctypeOf(orig)
		for range 1500 {
			d := append([]byte{}, orig...)
			switch rnd(3) {
			case 0:
				d = d[:rnd(len(d))]
			case 1:
				for range 1 + rnd(4) {
					d[rnd(len(d))] ^= byte(1 + rnd(255))
				}
			case 2:
				i := rnd(len(d) - 2)
				binary.BigEndian.PutUint16(d[i:], uint16(rnd(65536)))
			}
			tried++
			h, err := inspect(d)
			dec := err == nil && decodes(d)
			st := err == nil && h.ctype == ctype && checkStructure(d, h.ctype) == nil
			switch {
			case dec && st:
				bothTake++
			case dec && !st:
				byStructureOnly++
				if ctype == "image/png" && !pngCRCsMatch(d) {
					break // a changed byte that Go's decoder ignores (an ancillary chunk's) but its CRC shows
				}
				t.Errorf("%s decodes but the structural check refuses it: %v", ctype, checkStructure(d, h.ctype))
			case !dec && st:
				byDecodeOnly++
			default:
				bothRefuse++
			}
		}
	}
	t.Logf("%d damaged files: %d refused by both, %d taken by both, %d refused by the structural check only, %d refused by decoding only (left to the variants job)",
		tried, bothRefuse, bothTake, byStructureOnly, byDecodeOnly)
}

func ctypeOf(b []byte) string {
	h, err := inspect(b)
	if err != nil {
		return ""
	}
	return h.ctype
}

// pngCRCsMatch says whether every chunk of a PNG still has its CRC.
func pngCRCsMatch(d []byte) bool {
	for i := 8; i+12 <= len(d); {
		n := int(binary.BigEndian.Uint32(d[i:]))
		if n < 0 || i+12+n > len(d) {
			return false
		}
		if crc32.ChecksumIEEE(d[i+4:i+8+n]) != binary.BigEndian.Uint32(d[i+8+n:]) {
			return false
		}
		i += 12 + n
	}
	return true
}

// FuzzCheckStructure: whatever the bytes, the structural check answers
// without panicking, and what it takes has a served copy.
func FuzzCheckStructure(f *testing.F) {
	seedImages(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := inspect(data)
		if err != nil || h.ctype == "image/heic" || jpegOrientation(data) > 1 {
			return
		}
		if checkStructure(data, h.ctype) != nil {
			return
		}
		if served, _, _, err := servedCopy(data, h.ctype, nil); err != nil || len(served) == 0 {
			t.Fatalf("well-formed %s has no served copy: %v", h.ctype, err)
		}
	})
}
