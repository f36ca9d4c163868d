package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// The structural check: an import brings in thousands of photos, and
// decoding each one's pixels to check it was most of an import's time
// (63% of its CPU at 10,000 stories). So an import checks a photo's
// structure instead, completely and without decoding a pixel: for a JPEG
// every marker segment (their lengths, the quantisation and Huffman
// tables, the frame's size and components, each scan's header and its
// entropy-coded data up to the end of image), for a PNG every chunk's
// length and CRC and its header's limits, for GIF and WebP their block
// and chunk structure. What it cannot see — pixels that do not decode in a
// well-formed file — the variants job finds, since it decodes every photo
// to resize it, and it marks such a photo unreadable (MakeVariants).
//
// Each failure is refused as upload_truncated (the file ends before its
// structure does) or upload_damaged, with what is wrong in the error's
// text for the log.

// structureError is a structural fault. Its detail names the format's
// parts as their specifications do, in English: it is for the log, and
// the uploader is told in their own language only whether the file is
// incomplete or damaged.
type structureError struct {
	detail string
	early  bool // the file ends early: most often a copy or upload that did not finish
}

func (e *structureError) Error() string { return e.detail }

func bad(detail string) error { return &structureError{detail: detail} }

func endsEarly(detail string) error { return &structureError{detail: detail, early: true} }

// checkStructure checks data, of type ctype (from inspect), by structure.
func checkStructure(data []byte, ctype string) error {
	switch ctype {
	case "image/jpeg":
		return jpegStructure(data)
	case "image/png":
		return pngStructure(data)
	case "image/gif":
		return gifStructure(data)
	case "image/webp":
		return webpStructure(data)
	}
	return bad("no structural check for " + ctype)
}

// jpegStructure walks a JPEG from SOI to EOI. It accepts what Go's
// decoder (the variants job's) reads: baseline, extended and progressive
// Huffman-coded frames of 8-bit samples with 1, 3 or 4 components.
func jpegStructure(data []byte) error {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return bad("jpeg: no start of image")
	}
	type comp struct{ id, tq byte }
	var (
		frame     []comp
		qDefined  [4]bool
		dcDefined [4]bool
		acDefined [4]bool
		scanned   = map[byte]bool{}
		scans     int
	)
	i := 2
	for {
		// A marker: 0xFF, any fill bytes, the marker's code.
		if i >= len(data) {
			return endsEarly("jpeg: truncated (no end of image)")
		}
		if data[i] != 0xFF {
			return bad("jpeg: expected a marker")
		}
		for i < len(data) && data[i] == 0xFF {
			i++
		}
		if i >= len(data) {
			return endsEarly("jpeg: truncated (no end of image)")
		}
		marker := data[i]
		i++
		if marker == 0xD9 { // EOI
			if frame == nil || scans == 0 {
				return bad("jpeg: end of image before any scan")
			}
			for _, c := range frame {
				if !scanned[c.id] {
					return bad("jpeg: a component has no scan")
				}
			}
			return nil
		}
		if marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8) {
			return bad("jpeg: marker out of place")
		}
		if i+2 > len(data) {
			return endsEarly("jpeg: truncated segment")
		}
		size := int(binary.BigEndian.Uint16(data[i:]))
		if size < 2 || i+size > len(data) {
			return bad("jpeg: segment length out of bounds")
		}
		p := data[i+2 : i+size]
		i += size
		switch {
		case marker == 0xDB: // DQT
			if len(p) == 0 {
				return bad("jpeg: empty quantisation table")
			}
			for len(p) > 0 {
				pq, tq := p[0]>>4, p[0]&15
				n := 1 + 64
				if pq == 1 {
					n = 1 + 128
				}
				if pq > 1 || tq > 3 || len(p) < n {
					return bad("jpeg: bad quantisation table")
				}
				qDefined[tq] = true
				p = p[n:]
			}
		case marker == 0xC4: // DHT
			if len(p) == 0 {
				return bad("jpeg: empty Huffman table")
			}
			for len(p) > 0 {
				if len(p) < 17 {
					return bad("jpeg: bad Huffman table")
				}
				tc, th := p[0]>>4, p[0]&15
				total := 0
				for _, c := range p[1:17] {
					total += int(c)
				}
				if tc > 1 || th > 3 || total == 0 || total > 256 || len(p) < 17+total {
					return bad("jpeg: bad Huffman table")
				}
				if tc == 0 {
					dcDefined[th] = true
				} else {
					acDefined[th] = true
				}
				p = p[17+total:]
			}
		case marker == 0xC0 || marker == 0xC1 || marker == 0xC2: // SOF0–2
			if frame != nil {
				return bad("jpeg: more than one frame")
			}
			if len(p) < 6 {
				return bad("jpeg: bad frame header")
			}
			h, w, nc := int(binary.BigEndian.Uint16(p[1:])), int(binary.BigEndian.Uint16(p[3:])), int(p[5])
			if p[0] != 8 {
				return bad("jpeg: not 8-bit samples")
			}
			if w <= 0 || h <= 0 || w*h > MaxPixels {
				return bad("jpeg: frame size out of limits")
			}
			if (nc != 1 && nc != 3 && nc != 4) || len(p) != 6+3*nc {
				return bad("jpeg: bad frame components")
			}
			for k := range nc {
				c := p[6+3*k:]
				hs, vs := c[1]>>4, c[1]&15
				if hs < 1 || hs > 4 || vs < 1 || vs > 4 || c[2] > 3 {
					return bad("jpeg: bad frame component")
				}
				for _, o := range frame {
					if o.id == c[0] {
						return bad("jpeg: repeated frame component")
					}
				}
				frame = append(frame, comp{c[0], c[2]})
			}
		case marker >= 0xC3 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
			return bad("jpeg: unsupported coding (lossless, hierarchical or arithmetic)")
		case marker == 0xDD: // DRI
			if len(p) != 2 {
				return bad("jpeg: bad restart interval")
			}
		case marker == 0xDA: // SOS
			if frame == nil {
				return bad("jpeg: scan before the frame header")
			}
			if len(p) < 1 {
				return bad("jpeg: bad scan header")
			}
			ns := int(p[0])
			if ns < 1 || ns > len(frame) || len(p) != 4+2*ns {
				return bad("jpeg: bad scan header")
			}
			for k := range ns {
				id, td, ta := p[1+2*k], p[2+2*k]>>4, p[2+2*k]&15
				var found *comp
				for j := range frame {
					if frame[j].id == id {
						found = &frame[j]
					}
				}
				if found == nil || td > 3 || ta > 3 {
					return bad("jpeg: scan names an unknown component or table")
				}
				if !qDefined[found.tq] {
					return bad("jpeg: quantisation table missing")
				}
				ss, se := p[1+2*ns], p[2+2*ns]
				if ss == 0 && !dcDefined[td] || se > 0 && !acDefined[ta] {
					return bad("jpeg: Huffman table missing")
				}
				scanned[id] = true
			}
			if ss, se := p[1+2*ns], p[2+2*ns]; ss > 63 || se > 63 || ss > se {
				return bad("jpeg: bad spectral selection")
			}
			scans++
			// The entropy-coded data: up to the next marker that is not a
			// stuffed 0xFF00 or a restart (RST0–7).
			start := i
			for {
				j := bytes.IndexByte(data[i:], 0xFF)
				if j < 0 || i+j+1 >= len(data) {
					return endsEarly("jpeg: truncated scan (no end of image)")
				}
				i += j
				if next := data[i+1]; next == 0x00 || (next >= 0xD0 && next <= 0xD7) {
					i += 2
					continue
				}
				break
			}
			if i == start {
				return bad("jpeg: empty scan")
			}
		case marker >= 0xE0 || marker == 0xFE || marker == 0xDC: // APPn, COM, DNL
		default:
			return bad("jpeg: unknown marker")
		}
	}
}

// pngStructure checks every chunk's length and CRC, the header's limits
// and the chunks' order, up to IEND.
func pngStructure(data []byte) error {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(data, []byte(sig)) {
		return bad("png: no signature")
	}
	var colour byte
	seenPLTE, seenIDAT, idatDone := false, false, false
	for i, n := len(sig), 0; ; n++ {
		if i+12 > len(data) {
			return endsEarly("png: truncated (no IEND)")
		}
		length := binary.BigEndian.Uint32(data[i:])
		if length > 1<<31-1 || uint64(i)+12+uint64(length) > uint64(len(data)) {
			return bad("png: chunk length out of bounds")
		}
		typ, body := data[i+4:i+8], data[i+8:i+8+int(length)]
		if crc32.ChecksumIEEE(data[i+4:i+8+int(length)]) != binary.BigEndian.Uint32(data[i+8+int(length):]) {
			return bad("png: bad CRC in chunk " + string(typ))
		}
		for _, c := range typ {
			if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') {
				return bad("png: bad chunk type")
			}
		}
		i += 12 + int(length)
		name := string(typ)
		if n == 0 && name != "IHDR" {
			return bad("png: IHDR is not first")
		}
		if seenIDAT && name != "IDAT" {
			idatDone = true
		}
		switch name {
		case "IHDR":
			if n != 0 || length != 13 {
				return bad("png: bad IHDR")
			}
			w, h := binary.BigEndian.Uint32(body), binary.BigEndian.Uint32(body[4:])
			depth, ct := body[8], body[9]
			if w == 0 || h == 0 || w > 1<<31-1 || h > 1<<31-1 || uint64(w)*uint64(h) > MaxPixels {
				return bad("png: size out of limits")
			}
			ok := false
			switch ct {
			case 0:
				ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16
			case 3:
				ok = depth == 1 || depth == 2 || depth == 4 || depth == 8
			case 2, 4, 6:
				ok = depth == 8 || depth == 16
			}
			if !ok || body[10] != 0 || body[11] != 0 || body[12] > 1 {
				return bad("png: bad IHDR fields")
			}
			colour = ct
		case "PLTE":
			if seenPLTE || seenIDAT || length == 0 || length%3 != 0 || length > 256*3 {
				return bad("png: bad palette")
			}
			seenPLTE = true
		case "IDAT":
			if idatDone {
				return bad("png: IDAT chunks not consecutive")
			}
			if colour == 3 && !seenPLTE {
				return bad("png: palette missing")
			}
			if !seenIDAT {
				// The zlib stream's header: deflate, a window that fits, the
				// check bits, no preset dictionary.
				if len(body) < 2 || body[0]&15 != 8 || body[0]>>4 > 7 || (uint16(body[0])<<8|uint16(body[1]))%31 != 0 || body[1]&0x20 != 0 {
					return bad("png: bad zlib header")
				}
			}
			seenIDAT = true
		case "IEND":
			if !seenIDAT {
				return bad("png: no image data")
			}
			if length != 0 {
				return bad("png: bad IEND")
			}
			return nil
		}
	}
}

// gifStructure walks a GIF's blocks: header and screen, colour tables,
// extensions and images (each with its data sub-blocks, within the
// screen), up to the trailer.
func gifStructure(data []byte) error {
	if len(data) < 13 || (string(data[:6]) != "GIF87a" && string(data[:6]) != "GIF89a") {
		return bad("gif: no header")
	}
	sw, sh := int(binary.LittleEndian.Uint16(data[6:])), int(binary.LittleEndian.Uint16(data[8:]))
	i := 13
	if data[10]&0x80 != 0 {
		i += 3 << (data[10]&7 + 1)
	}
	subBlocks := func() bool {
		for {
			if i >= len(data) {
				return false
			}
			n := int(data[i])
			i += 1 + n
			if n == 0 {
				return i <= len(data)
			}
		}
	}
	images := 0
	for {
		if i >= len(data) {
			return endsEarly("gif: truncated (no trailer)")
		}
		switch data[i] {
		case 0x21: // extension
			i += 2
			if !subBlocks() {
				return endsEarly("gif: truncated extension")
			}
		case 0x2C: // image
			if i+10 > len(data) {
				return endsEarly("gif: truncated image descriptor")
			}
			d := data[i+1:]
			x, y := int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))
			w, h := int(binary.LittleEndian.Uint16(d[4:])), int(binary.LittleEndian.Uint16(d[6:]))
			if w == 0 || h == 0 || x+w > sw || y+h > sh {
				return bad("gif: frame outside the screen")
			}
			flags := d[8]
			i += 10
			if flags&0x80 != 0 {
				i += 3 << (flags&7 + 1)
			} else if data[10]&0x80 == 0 {
				return bad("gif: no colour table")
			}
			if i >= len(data) || data[i] < 2 || data[i] > 8 {
				return bad("gif: bad LZW code size")
			}
			i++
			if !subBlocks() {
				return endsEarly("gif: truncated image data")
			}
			images++
		case 0x3B: // trailer
			if images == 0 {
				return bad("gif: no image")
			}
			return nil
		default:
			return bad("gif: unknown block")
		}
	}
}

// webpStructure walks a WebP's RIFF chunks: each within the file, and a
// still image's VP8 or VP8L bitstream header whose sizes fit its chunk.
func webpStructure(data []byte) error {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return bad("webp: no RIFF header")
	}
	riff := int(binary.LittleEndian.Uint32(data[4:]))
	if riff < 4 || 8+riff > len(data) {
		return endsEarly("webp: truncated (RIFF size)")
	}
	data = data[:8+riff]
	bitstream := false
	for i := 12; i < len(data); {
		if i+8 > len(data) {
			return endsEarly("webp: truncated chunk header")
		}
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		if n < 0 || i+8+n > len(data) {
			return bad("webp: chunk length out of bounds")
		}
		body := data[i+8 : i+8+n]
		switch string(data[i : i+4]) {
		case "VP8 ":
			// Frame tag: key frame, the first partition within the chunk,
			// the start code.
			if len(body) < 10 || body[0]&1 != 0 || body[3] != 0x9d || body[4] != 0x01 || body[5] != 0x2a {
				return bad("webp: bad VP8 frame header")
			}
			if first := int(body[0])>>5 | int(body[1])<<3 | int(body[2])<<11; 10+first > len(body) {
				return bad("webp: VP8 partition out of bounds")
			}
			bitstream = true
		case "VP8L":
			if len(body) < 5 || body[0] != 0x2f || body[4]>>5 != 0 {
				return bad("webp: bad VP8L header")
			}
			bitstream = true
		case "ANIM", "ANMF":
			return bad("webp: animated")
		}
		i += 8 + n + n&1
	}
	if !bitstream {
		return bad("webp: no image data")
	}
	return nil
}
