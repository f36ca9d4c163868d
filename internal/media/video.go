package media

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"newsdesk/internal/model"
)

// VideoType is the one video format the desk takes: MP4 (H.264/AAC plays
// in every browser with native controls).
const VideoType = "video/mp4"

// mp4Brands are the ftyp brands of MP4 files browsers play.
var mp4Brands = map[string]bool{"isom": true, "iso2": true, "iso4": true, "iso5": true, "iso6": true, "mp41": true, "mp42": true,
	"avc1": true, "M4V ": true, "M4A ": true, "dash": true, "MSNV": true, "3gp4": true, "3gp5": true}

// maxBoxes bounds the top-level boxes read: a real MP4 has a handful.
const maxBoxes = 1000

// checkMP4 reads an MP4's top-level boxes (ISO/IEC 14496-12): the first is
// ftyp with a brand browsers play, each box fits the file, and there is a
// movie header (moov) and media data (mdat). Only the boxes' headers are
// read — at most 4 KB at a time, whatever the file's size.
func checkMP4(r io.ReadSeeker, size int64) error {
	var hdr [16]byte
	var at int64
	seen := map[string]bool{}
	for n := 0; at < size; n++ {
		if n == maxBoxes || size-at < 8 {
			return model.Invalid("video_type")
		}
		if _, err := r.Seek(at, io.SeekStart); err != nil {
			return err
		}
		if _, err := io.ReadFull(r, hdr[:8]); err != nil {
			return model.Invalid("video_type")
		}
		box := int64(binary.BigEndian.Uint32(hdr[:4]))
		kind := string(hdr[4:8])
		head := int64(8)
		switch box {
		case 0: // to the end of the file
			box = size - at
		case 1: // a 64-bit size follows
			if _, err := io.ReadFull(r, hdr[8:16]); err != nil {
				return model.Invalid("video_type")
			}
			box, head = int64(binary.BigEndian.Uint64(hdr[8:16])), 16
		}
		if box < head || box > size-at || !printable(kind) {
			return model.Invalid("video_type")
		}
		if n == 0 {
			if kind != "ftyp" || box < 16 || box > 4096 {
				return model.Invalid("video_type")
			}
			brands := make([]byte, box-head)
			if _, err := io.ReadFull(r, brands); err != nil {
				return model.Invalid("video_type")
			}
			ok := mp4Brands[string(brands[:4])]
			for i := 8; i+4 <= len(brands) && !ok; i += 4 { // after the minor version
				ok = mp4Brands[string(brands[i:i+4])]
			}
			if !ok {
				return model.Invalid("video_type")
			}
		}
		seen[kind] = true
		at += box
	}
	if !seen["moov"] || !seen["mdat"] {
		return model.Invalid("video_type")
	}
	return nil
}

func printable(kind string) bool {
	for i := 0; i < len(kind); i++ {
		if kind[i] < 0x20 || kind[i] > 0x7e {
			return false
		}
	}
	return true
}

// SaveVideo checks an MP4 by content (its boxes, not its name) and stores
// it with its poster, a photo checked as Save checks photos. The file is
// read from r twice — once for its boxes and checksum, once into storage —
// and never held in memory whole, so a video may be as large as the upload
// limit. It answers the video and the poster.
func (s *Service) SaveVideo(ctx context.Context, actor model.Actor, name string, r io.ReadSeeker, size int64, posterName string, poster []byte) (model.Media, model.Media, error) {
	if s.MaxSize > 0 && size > s.MaxSize {
		return model.Media{}, model.Media{}, refused("upload_size", name, (s.MaxSize+(1<<20)-1)>>20)
	}
	if len(poster) == 0 {
		return model.Media{}, model.Media{}, refused("video_poster", name)
	}
	if err := checkMP4(r, size); err != nil {
		return model.Media{}, model.Media{}, named(name, err)
	}
	if !strings.EqualFold(pathExt(name), ".mp4") {
		name = strings.TrimSuffix(name, pathExt(name)) + ".mp4"
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return model.Media{}, model.Media{}, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return model.Media{}, model.Media{}, err
	}
	p, err := s.Save(ctx, actor, posterName, poster, model.Media{})
	if err != nil {
		var ie *model.InvalidError
		if errors.As(err, &ie) {
			return model.Media{}, model.Media{}, err
		}
		return model.Media{}, model.Media{}, fmt.Errorf("poster of %s: %w", name, err)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return model.Media{}, model.Media{}, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	v, err := s.storeFrom(ctx, s.Store, actor, name, r, size, sum, VideoType, ".mp4", model.Media{Width: p.Width, Height: p.Height})
	return v, p, err
}

func pathExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 && !strings.ContainsAny(name[i:], `/\`) {
		return name[i:]
	}
	return ""
}
