package media

import (
	"context"
	"fmt"
	"image"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/semaphore"
)

// Decoding is bounded by memory, not bytes: a 389 kB PNG of 7071×7071
// pixels at 16 bits a channel decodes to 400 MB, and that took the server
// past 1.1 GiB for one upload and 2.7 GiB for three. So the memory an image
// needs is estimated from its header before a pixel is decoded (width ×
// height × what the decoder keeps per pixel in that format), an image that
// alone needs more than the budget is refused, and every decode — uploads
// and the variant job alike — first takes its estimate from one weighted
// semaphore, so that together they never hold more than the budget.

// DefaultDecodeBudget is the memory image decoding may use at once when
// Service.DecodeBudget is 0. Measured (bench/upload-memory.sh): with it,
// three concurrent uploads of the largest accepted images keep the whole
// server under 400 MiB of peak RSS, and landscape photos (4:3, 3:2) get
// their WebP copies at 1600 px; a square or portrait one's would need
// more (3:4 at 1600 px takes ~300 MB to encode), so it gets JPEG or PNG
// variants only unless the budget is raised (--decode-mb).
const DefaultDecodeBudget = 192 << 20

// bigDecode is the weight from which a decode's end collects its garbage.
const bigDecode = 32 << 20

// decodeGate is the weighted semaphore, with what it holds now and at most,
// for the tests.
type decodeGate struct {
	sem    *semaphore.Weighted
	budget int64
	inUse  atomic.Int64
	peak   atomic.Int64
}

func (s *Service) decodes() *decodeGate {
	s.gateOnce.Do(func() {
		b := s.DecodeBudget
		if b <= 0 {
			b = DefaultDecodeBudget
		}
		s.gate = &decodeGate{sem: semaphore.NewWeighted(b), budget: b}
	})
	return s.gate
}

// acquire waits until weight bytes of the budget are free (or ctx ends)
// and returns the function that gives them back.
func (g *decodeGate) acquire(ctx context.Context, weight int64) (func(), error) {
	weight = min(max(weight, 1), g.budget)
	if err := g.sem.Acquire(ctx, weight); err != nil {
		return nil, fmt.Errorf("wait to decode an image: %w", err)
	}
	now := g.inUse.Add(weight)
	for p := g.peak.Load(); now > p && !g.peak.CompareAndSwap(p, now); p = g.peak.Load() {
	}
	return func() {
		if weight >= bigDecode {
			// The pixels just dropped are garbage, and without a collection
			// the next decode is stacked on them: Go's heap may grow to twice
			// what was live before it collects. Measured with three uploads
			// of 6400×6400 PNGs at once: 538 MiB peak RSS without, see
			// docs/media.md for with. Marking is cheap here: pixels hold no
			// pointers.
			runtime.GC()
		}
		g.inUse.Add(-weight)
		g.sem.Release(weight)
	}, nil
}

// cost is what processing one image needs, estimated from its header.
type cost struct {
	width, height int
	decoded       int64 // the decoded image and the decoder's own buffers
	upload        int64 // checking an upload and making its served copy
	variants      int64 // making its variants without WebP copies
	variantsWebP  int64 // making them with WebP copies
}

// need is what the budget must hold for the image to be accepted: its
// upload, and its variants (WebP copies of an image in another format
// may be left out, see Service.MakeVariants).
func (c cost) need() int64 { return max(c.upload, c.variants) }

// webpBytes is what the WebAssembly libwebp (gen2brain/webp) takes to
// encode a picture of px pixels, most of it its linear memory growing:
// measured 77, 74, 92 and 110 bytes a pixel at 0.64, 2.56, 5.1 and 10.2
// megapixels, so 75 bytes a pixel plus 3.5 for each megapixel.
func webpBytes(px int64) int64 { return px*75 + px*px*7/2_000_000 }

// estimate reads what decoding data (of type ctype, declaring cfg) costs.
func estimate(data []byte, ctype string, cfg image.Config) cost {
	w, h := int64(cfg.Width), int64(cfg.Height)
	px := w * h
	c := cost{width: cfg.Width, height: cfg.Height}
	switch ctype {
	case "image/png":
		c.decoded = px * pngBytesPerPixel(data)
	case "image/jpeg":
		c.decoded = jpegDecodedBytes(data, w, h)
	case "image/gif":
		c.decoded = px // one paletted frame: a byte a pixel
	case "image/webp":
		c.decoded = px * 4 // NRGBA when lossless; lossy with alpha is 2.5
	case "image/heic":
		// libheif decodes inside WebAssembly (HEVC buffers and output
		// planes, up to 4 bytes a pixel), then the planes are copied out.
		c.decoded = px * 8
	default:
		c.decoded = px * 8
	}
	file := int64(len(data))
	// The upload: the file, its served copy (metadata stripped, a copy of
	// the file), the decoded image; a JPEG turned upright (EXIF) or a HEIC
	// made JPEG adds an RGBA copy, the turned copy and the new JPEG.
	c.upload = 2*file + c.decoded
	if ctype == "image/heic" || (ctype == "image/jpeg" && jpegOrientation(data) > 1) {
		c.upload += 9 * px
	}
	// The variants are made in two steps. First every size, widest first:
	// the file, the decoded image, the widest one's block-averaged copy,
	// the bilinear kernel's intermediate (32 bytes a pixel, its width × the
	// copy's height; none when the blocks already have the size) and the
	// result. Then the decoded image is dropped and
	// each size is encoded: the sizes themselves and the largest encoder's
	// memory (JPEG and PNG write about a byte a pixel, WebP ~100).
	c.variants = file + c.decoded
	c.variantsWebP = c.variants
	if ctype != "image/gif" && w > int64(VariantWidths[0]) {
		var sizes, widestW, widest int64 // VariantWidths go narrowest first
		for _, x := range VariantWidths {
			if x := int64(x); x < w {
				widestW, widest = x, x*max(1, h*x/w)
				sizes += 4 * widest
			}
		}
		k := max(1, w/widestW)
		kernel := 32 * widestW * (h / k)
		if k >= 2 && (w/k)*(h/k) == widest {
			kernel = 0 // the blocks come out at the size asked: no kernel
		}
		sized := file + c.decoded + (w/k)*(h/k)*4 + kernel + widest*4
		own := file + sizes + widest
		if ctype == "image/webp" {
			own = file + sizes + webpBytes(widest)
		}
		c.variants = max(sized, own)
		c.variantsWebP = max(sized, file+sizes+webpBytes(widest))
	}
	return c
}

// pngBytesPerPixel is what Go's PNG decoder keeps a pixel in, from the
// header's bit depth and colour type; an interlaced image is decoded pass
// by pass into images of their own before they are merged, so twice.
func pngBytesPerPixel(data []byte) int64 {
	if len(data) < 29 || string(data[12:16]) != "IHDR" {
		return 8
	}
	depth, colour, interlace := data[24], data[25], data[28]
	var n int64
	switch colour {
	case 0: // grey: Gray, or Gray16
		n = 1
	case 3: // paletted
		n = 1
	default: // RGB, grey with alpha, RGBA: RGBA or NRGBA, or their 64-bit forms
		n = 4
	}
	if depth == 16 {
		n *= 2
	}
	if interlace != 0 {
		n *= 2
	}
	return n
}

// jpegDecodedBytes is what Go's JPEG decoder keeps for w×h pixels, from
// the frame header: a plane per component (smaller when subsampled, and
// rounded up to whole blocks of the largest sampling factor); a
// progressive JPEG also keeps every coefficient of every block (4 bytes a
// sample) until its last scan; a CMYK one is converted into a new image of
// 4 bytes a pixel.
func jpegDecodedBytes(data []byte, w, h int64) int64 {
	px := w * h
	var comps []byte // sampling factors, h<<4 | v
	progressive := false
	jpegSegments(data, func(marker byte, payload, _ []byte) bool {
		if marker < 0xC0 || marker > 0xCF || marker == 0xC4 || marker == 0xC8 || marker == 0xCC {
			return true
		}
		progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE
		if len(payload) >= 6 {
			n := int(payload[5])
			for i := 0; i < n && 6+3*i+1 < len(payload); i++ {
				comps = append(comps, payload[6+3*i+1])
			}
		}
		return false
	})
	if len(comps) == 0 {
		return px * 8 // no frame header found: the worst case
	}
	var hmax, vmax int64 = 1, 1
	for _, f := range comps {
		hmax, vmax = max(hmax, int64(f>>4)), max(vmax, int64(f&15))
	}
	mw, mh := 8*hmax, 8*vmax // the decoder allocates whole blocks
	pw, ph := (w+mw-1)/mw*mw, (h+mh-1)/mh*mh
	var samples int64
	for _, f := range comps {
		samples += pw * ph * max(1, int64(f>>4)) * max(1, int64(f&15)) / (hmax * vmax)
	}
	n := samples
	if progressive {
		n += 4 * samples
	}
	if len(comps) == 4 {
		n += 4 * px
	}
	return n
}
