// Package media stores uploaded files and checks them by content.
package media

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders registered for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/webp"
	"net/http"
	"path"
	"strings"

	"newsdesk/internal/store"
)

// ErrRefused wraps every reason an upload is refused.
var ErrRefused = errors.New("upload refused")

// MaxPixels bounds the declared size of an image, against decompression bombs.
const MaxPixels = 50_000_000

// extensions maps the accepted content types to the extension files get.
var extensions = map[string]string{
	"image/jpeg": ".jpg",
	"image/png":  ".png",
	"image/gif":  ".gif",
	"image/webp": ".webp",
}

// Service checks uploads, stores their bytes and records them.
type Service struct {
	Store   store.Store
	Files   Storage
	MaxSize int64
}

// Save checks data by content and stores it as a new media record.
func (s *Service) Save(ctx context.Context, name string, data []byte, meta store.Media) (store.Media, error) {
	if s.MaxSize > 0 && int64(len(data)) > s.MaxSize {
		return store.Media{}, fmt.Errorf("%w: %w", ErrRefused, store.Invalid("upload_size", name, (s.MaxSize+(1<<20)-1)>>20))
	}
	ctype := http.DetectContentType(data)
	ext, ok := extensions[ctype]
	if !ok {
		return store.Media{}, fmt.Errorf("%w: %w", ErrRefused, store.Invalid("upload_type", name))
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return store.Media{}, fmt.Errorf("%w: %w", ErrRefused, store.Invalid("upload_unreadable", name))
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
		return store.Media{}, fmt.Errorf("%w: %w", ErrRefused, store.Invalid("upload_pixels", name, cfg.Width, cfg.Height))
	}
	// The whole image must decode: a truncated or corrupt file has a valid
	// header. Safe after the pixel check above bounds the memory.
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return store.Media{}, fmt.Errorf("%w: %w", ErrRefused, store.Invalid("upload_unreadable", name))
	}
	meta.Width, meta.Height = cfg.Width, cfg.Height
	return s.store(ctx, name, data, ctype, ext, meta)
}

// store keeps the checked bytes under a name derived from their checksum
// and records them.
func (s *Service) store(ctx context.Context, name string, data []byte, ctype, ext string, m store.Media) (store.Media, error) {
	sum := sha256.Sum256(data)
	hexsum := hex.EncodeToString(sum[:])
	m.Key = hexsum[:2] + "/" + hexsum + ext
	m.Name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	m.ContentType, m.Size, m.Checksum = ctype, int64(len(data)), hexsum
	if err := s.Files.Put(ctx, m.Key, bytes.NewReader(data), int64(len(data)), ctype); err != nil {
		return store.Media{}, err
	}
	if err := s.Store.CreateMedia(ctx, &m); err != nil {
		return store.Media{}, err
	}
	return m, nil
}

// URL is the public address of a media file. The name is kept readable.
func URL(m store.Media) string {
	return fmt.Sprintf("/media/%d/%s", m.ID, m.Name)
}

// Attachment types, by what their content is.
var attachmentTypes = map[string]struct{ ctype, ext, part string }{
	"pdf":  {"application/pdf", ".pdf", ""},
	"docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "word/document.xml"},
	"xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "xl/workbook.xml"},
	"pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "ppt/presentation.xml"},
}

// attachmentKind names what data is: a PDF, or an Office file (a zip with
// the parts Office itself needs), or "" for anything else.
func attachmentKind(data []byte) string {
	if bytes.HasPrefix(data, []byte("%PDF-")) && bytes.Contains(data[max(0, len(data)-1024):], []byte("%%EOF")) {
		return "pdf"
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	parts := map[string]bool{}
	for _, f := range zr.File {
		parts[f.Name] = true
	}
	if !parts["[Content_Types].xml"] {
		return ""
	}
	for kind, t := range attachmentTypes {
		if t.part != "" && parts[t.part] {
			return kind
		}
	}
	return ""
}

// SaveAttachment checks a document by content (PDF, DOCX, XLSX, PPTX)
// and stores it as a new media record.
func (s *Service) SaveAttachment(ctx context.Context, name string, data []byte) (store.Media, error) {
	if s.MaxSize > 0 && int64(len(data)) > s.MaxSize {
		return store.Media{}, fmt.Errorf("%w: %w", ErrRefused, store.Invalid("upload_size", name, (s.MaxSize+(1<<20)-1)>>20))
	}
	kind := attachmentKind(data)
	if kind == "" {
		return store.Media{}, fmt.Errorf("%w: %w", ErrRefused, store.Invalid("attachment_type", name))
	}
	t := attachmentTypes[kind]
	return s.store(ctx, name, data, t.ctype, t.ext, store.Media{})
}
