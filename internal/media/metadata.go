package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/draw"
)

// Photos from cameras and phones carry EXIF: the orientation the picture
// must be turned to, and private details — where it was taken (GPS), the
// camera's serial number, the owner's name. The served copy has the
// orientation applied and none of those; the untouched original is kept
// apart and never served.

// jpegOrientation reads the EXIF orientation (1–8) of a JPEG; 1 when absent.
func jpegOrientation(data []byte) int {
	o := 1
	jpegSegments(data, func(marker byte, payload, _ []byte) bool {
		if marker == 0xE1 && bytes.HasPrefix(payload, []byte("Exif\x00\x00")) {
			o = tiffOrientation(payload[6:])
			return false
		}
		return true
	})
	return o
}

// tiffOrientation finds tag 0x0112 in the first IFD of a TIFF block.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	n := int(bo.Uint16(t[off:]))
	for i := 0; i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > len(t) {
			break
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 { // SHORT
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
		}
	}
	return 1
}

// jpegSegments calls fn with each marker segment before the image data
// (its payload, and the whole segment with marker and length); fn returns
// false to stop. It returns the offset of the start of scan, or -1 when the
// segments are malformed.
func jpegSegments(data []byte, fn func(marker byte, payload, whole []byte) bool) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return -1
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return -1
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA { // start of scan: the rest is image data
			return i
		}
		size := int(binary.BigEndian.Uint16(data[i+2:]))
		if size < 2 || i+2+size > len(data) {
			return -1
		}
		if !fn(marker, data[i+4:i+2+size], data[i:i+2+size]) {
			return i
		}
		i += 2 + size
	}
	return -1
}

// privateJPEG are the segments that carry metadata rather than the picture:
// APP1 (EXIF, XMP), APP12, APP13 (IPTC, Photoshop) and comments. JFIF
// (APP0), the colour profile (APP2) and Adobe's colour transform (APP14)
// change how the picture looks and stay.
var privateJPEG = map[byte]bool{0xE1: true, 0xEC: true, 0xED: true, 0xFE: true}

// stripJPEG removes the metadata segments, leaving the image data as it is;
// nil when the file is not a well-formed JPEG.
func stripJPEG(data []byte) []byte {
	out := append(make([]byte, 0, len(data)), 0xFF, 0xD8)
	sos := jpegSegments(data, func(marker byte, _, whole []byte) bool {
		if !privateJPEG[marker] {
			out = append(out, whole...)
		}
		return true
	})
	if sos < 0 {
		return nil
	}
	return append(out, data[sos:]...)
}

// privatePNG are the chunks that carry text and EXIF.
var privatePNG = map[string]bool{"tEXt": true, "zTXt": true, "iTXt": true, "eXIf": true, "tIME": true}

// stripPNG removes text, time and EXIF chunks; nil when malformed.
func stripPNG(data []byte) []byte {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(data, []byte(sig)) {
		return nil
	}
	out := append(make([]byte, 0, len(data)), sig...)
	for i := len(sig); i < len(data); {
		if i+12 > len(data) {
			return nil
		}
		n := int(binary.BigEndian.Uint32(data[i:]))
		end := i + 12 + n
		if n < 0 || end > len(data) || end < i {
			return nil
		}
		if !privatePNG[string(data[i+4:i+8])] {
			out = append(out, data[i:end]...)
		}
		i = end
	}
	return out
}

// stripWebP removes the EXIF and XMP chunks and their flags; nil when
// malformed.
func stripWebP(data []byte) []byte {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return nil
	}
	out := append(make([]byte, 0, len(data)), data[:12]...)
	for i := 12; i < len(data); {
		if i+8 > len(data) {
			return nil
		}
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		end := i + 8 + n
		if n < 0 || end > len(data) {
			return nil
		}
		end = min(end+n&1, len(data)) // chunks are padded to an even size
		switch fourcc := string(data[i : i+4]); fourcc {
		case "EXIF", "XMP ":
		case "VP8X":
			chunk := append([]byte(nil), data[i:end]...)
			if len(chunk) > 8 {
				chunk[8] &^= 0x08 | 0x04 // the EXIF and XMP flags
			}
			out = append(out, chunk...)
		default:
			out = append(out, data[i:end]...)
		}
		i = end
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

// orient turns img as EXIF orientation o asks (2–8), into a new RGBA image.
func orient(img image.Image, o int) *image.RGBA {
	src := toRGBA(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for dy := 0; dy < dh; dy++ {
		for dx := 0; dx < dw; dx++ {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = w-1-dx, dy
			case 3:
				sx, sy = w-1-dx, h-1-dy
			case 4:
				sx, sy = dx, h-1-dy
			case 5:
				sx, sy = dy, dx
			case 6:
				sx, sy = dy, h-1-dx
			case 7:
				sx, sy = w-1-dy, h-1-dx
			case 8:
				sx, sy = w-1-dy, dx
			default:
				sx, sy = dx, dy
			}
			si, di := sy*src.Stride+sx*4, dy*dst.Stride+dx*4
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}

// toRGBA returns img as an RGBA image at the origin, converting if needed
// (image/draw has fast paths for the decoders' own types).
func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
	return dst
}
