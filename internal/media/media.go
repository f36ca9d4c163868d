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
	_ "image/gif" // decoders registered for image.Decode
	"image/jpeg"
	_ "image/png"
	"io"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"

	"github.com/gen2brain/heic"
	_ "golang.org/x/image/webp"
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
	"image/heic": ".heic", // kept as the original; served as JPEG
}

// Service checks uploads, stores their bytes and records them.
type Service struct {
	Store   Store
	Files   Storage
	MaxSize int64
	// Queued is called when background work was queued (variants), to
	// wake the job runner; Changed when served media changed, to purge
	// pages that show it.
	Queued  func()
	Changed func()
	// CanView says whether a desk user may see a story (article.CanView,
	// given here so that article may build on media): such a user may
	// fetch the files the story uses before it is published.
	CanView func(model.User, model.Article) bool
	// DecodeBudget bounds the memory that image decoding may take at once,
	// across uploads and the variant job, in bytes (DefaultDecodeBudget
	// when 0); an image that alone needs more is refused.
	DecodeBudget int64

	gateOnce sync.Once
	gate     *decodeGate
}

func refused(code string, args ...any) error {
	return fmt.Errorf("%w: %w", ErrRefused, model.Invalid(code, args...))
}

// named refuses an upload for err, naming the file in its message.
func named(name string, err error) error {
	var ie *model.InvalidError
	if errors.As(err, &ie) {
		return refused(ie.Code, append([]any{name}, ie.Args...)...)
	}
	return err
}

// header is what an image's header says, read before any pixel is.
type header struct {
	ctype  string
	cost   cost
	decode func(io.Reader) (image.Image, string, error)
}

// inspect checks data's header: a known format and a declared size within
// MaxPixels (against decompression bombs), and estimates what decoding it
// costs.
func inspect(data []byte) (header, error) {
	ctype := http.DetectContentType(data)
	decodeConfig, decode := image.DecodeConfig, image.Decode
	if isHEIC(data) {
		ctype = "image/heic"
		decodeConfig = func(r io.Reader) (image.Config, string, error) { c, err := heic.DecodeConfig(r); return c, "heic", err }
		decode = func(r io.Reader) (image.Image, string, error) { i, err := heic.Decode(r); return i, "heic", err }
	}
	if _, ok := extensions[ctype]; !ok {
		return header{}, model.Invalid("upload_type")
	}
	cfg, _, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return header{}, model.Invalid("upload_unreadable")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
		return header{}, model.Invalid("upload_pixels", cfg.Width, cfg.Height)
	}
	return header{ctype: ctype, cost: estimate(data, ctype, cfg), decode: decode}, nil
}

// decodeImage checks data by content — its header (inspect), and a whole
// image that decodes (a truncated or corrupt file has a valid header) —
// and returns the decoded image and its type. Callers hold the decode
// budget (Service.decodeWithin).
func decodeImage(data []byte) (image.Image, string, error) {
	h, err := inspect(data)
	if err != nil {
		return nil, "", err
	}
	img, _, err := h.decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", model.Invalid("upload_unreadable")
	}
	return img, h.ctype, nil
}

// admit inspects data and refuses an image that alone needs more memory
// than the decode budget, naming its size.
func (s *Service) admit(data []byte) (header, error) {
	h, err := inspect(data)
	if err != nil {
		return h, err
	}
	if budget := s.decodes().budget; h.cost.need() > budget {
		return h, model.Invalid("upload_memory", h.cost.width, h.cost.height, (h.cost.need()+(1<<20)-1)>>20, budget>>20)
	}
	return h, nil
}

// isHEIC recognises the HEIF container that phones write (HEIC photos).
// Browsers other than Safari cannot show HEIC, so such a photo is served as
// JPEG; the HEIC original is kept.
func isHEIC(data []byte) bool {
	if len(data) < 12 || string(data[4:8]) != "ftyp" {
		return false
	}
	switch string(data[8:12]) {
	case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
		return true
	}
	return false
}

// checkedCopy decodes data whole and returns its served copy, the copy's
// type and its size (upright); the decoded pixels are dropped on return.
func checkedCopy(data []byte) ([]byte, string, image.Point, error) {
	img, ctype, err := decodeImage(data)
	if err != nil {
		return nil, "", image.Point{}, err
	}
	served, servedType, img, err := servedCopy(data, ctype, img)
	if err != nil {
		return nil, "", image.Point{}, err
	}
	return served, servedType, img.Bounds().Size(), nil
}

// servedCopy is what readers get of an upload, and its type: the
// orientation applied and the private metadata (GPS position, camera,
// owner) removed. The picture is not re-encoded unless it had to be turned
// or browsers cannot show its format (HEIC, made JPEG; the HEIF decoder
// applies the container's rotation itself).
func servedCopy(data []byte, ctype string, img image.Image) ([]byte, string, image.Image, error) {
	reencode := func(img image.Image) ([]byte, string, image.Image, error) {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
			return nil, "", nil, err
		}
		return b.Bytes(), "image/jpeg", img, nil
	}
	var out []byte
	switch ctype {
	case "image/heic":
		return reencode(img)
	case "image/jpeg":
		if o := jpegOrientation(data); o > 1 {
			return reencode(orient(img, o))
		}
		out = stripJPEG(data)
	case "image/png":
		out = stripPNG(data)
	case "image/webp":
		out = stripWebP(data)
	case "image/gif":
		out = data // GIF has no EXIF
	}
	if out == nil {
		return nil, "", nil, model.Invalid("upload_unreadable")
	}
	return out, ctype, img, nil
}

// Save checks a photo by content and stores it as a new media record: the
// served copy under its checksum, the untouched original apart when they
// differ; its variants are queued.
func (s *Service) Save(ctx context.Context, actor model.Actor, name string, data []byte, meta model.Media) (model.Media, error) {
	p, err := s.Check(ctx, name, data)
	if err != nil {
		return model.Media{}, err
	}
	return s.SaveChecked(ctx, actor, p, meta)
}

// Checked is a photo that passed Save's check by content, with its served
// copy made, not stored yet: SaveChecked stores it. The check is the
// CPU-bound part of saving (a whole decode), so that an importer may run
// it for several photos at once while it writes stories in order.
type Checked struct {
	name              string
	data, served      []byte
	ctype, servedType string
	size              image.Point
	stored            bool   // its files are stored already (PutChecked)
	servedSum         string // the served copy's sha256 (hex), once stored
}

// Check checks a photo by content as Save does (size, type, declared
// pixels, the decode budget, and a whole image that decodes) and makes its
// served copy; nothing is stored. The error is Save's.
func (s *Service) Check(ctx context.Context, name string, data []byte) (*Checked, error) {
	if s.MaxSize > 0 && int64(len(data)) > s.MaxSize {
		return nil, refused("upload_size", name, (s.MaxSize+(1<<20)-1)>>20)
	}
	h, err := s.admit(data)
	if err != nil {
		return nil, named(name, err)
	}
	release, err := s.decodes().acquire(ctx, h.cost.upload)
	if err != nil {
		return nil, err
	}
	served, servedType, size, err := checkedCopy(data)
	release()
	if err != nil {
		return nil, named(name, err)
	}
	return &Checked{name: name, data: data, served: served, ctype: h.ctype, servedType: servedType, size: size}, nil
}

// CheckStructure checks a photo as Check does, except that the pixels are
// not decoded: the file's whole structure is checked instead (see
// structure.go), at a small part of a decode's cost. It is the check of an
// import, which brings in thousands of photos: the variants job decodes
// every photo afterwards and marks one whose pixels do not decode
// (Unreadable). A photo that must be decoded to make its served copy — a
// JPEG turned by its EXIF orientation, a HEIC — is checked by Check.
func (s *Service) CheckStructure(ctx context.Context, name string, data []byte) (*Checked, error) {
	if s.MaxSize > 0 && int64(len(data)) > s.MaxSize {
		return nil, refused("upload_size", name, (s.MaxSize+(1<<20)-1)>>20)
	}
	h, err := s.admit(data)
	if err != nil {
		return nil, named(name, err)
	}
	if h.ctype == "image/heic" || (h.ctype == "image/jpeg" && jpegOrientation(data) > 1) {
		return s.Check(ctx, name, data)
	}
	if err := checkStructure(data, h.ctype); err != nil {
		code := "upload_damaged"
		if se := (*structureError)(nil); errors.As(err, &se) && se.early {
			code = "upload_truncated"
		}
		return nil, fmt.Errorf("%w (%s)", refused(code, name), err)
	}
	served, servedType, _, err := servedCopy(data, h.ctype, nil)
	if err != nil {
		return nil, named(name, err)
	}
	return &Checked{name: name, data: data, served: served, ctype: h.ctype, servedType: servedType, size: image.Pt(h.cost.width, h.cost.height)}, nil
}

// SaveChecked stores a photo that Check passed as a new media record, as
// Save does.
func (s *Service) SaveChecked(ctx context.Context, actor model.Actor, p *Checked, meta model.Media) (model.Media, error) {
	return s.SaveCheckedIn(ctx, s.Store, actor, p, meta)
}

// SaveCheckedIn is SaveChecked with the record (the photo, its queued
// variants, its audit entry) written through tx, a transaction of the
// caller's: an import writes a story and its new photos in one. The files
// are stored at once; they are named by their checksum, so a rolled-back
// record leaves at most a file that the same bytes would get again.
func (s *Service) SaveCheckedIn(ctx context.Context, tx Store, actor model.Actor, p *Checked, meta model.Media) (model.Media, error) {
	name, data, served, ctype, servedType := p.name, p.data, p.served, p.ctype, p.servedType
	meta.Width, meta.Height = p.size.X, p.size.Y
	if !bytes.Equal(served, data) {
		meta.OriginalKey = "originals/" + checksumKey(data, extensions[ctype])
	}
	if err := s.PutChecked(ctx, p); err != nil {
		return model.Media{}, err
	}
	if servedType != ctype { // the name says what readers get
		name = strings.TrimSuffix(name, path.Ext(name)) + extensions[servedType]
	}
	m, err := s.record(ctx, tx, actor, name, int64(len(served)), p.servedSum, servedType, extensions[servedType], meta)
	if err != nil {
		return m, err
	}
	if s.Queued != nil {
		s.Queued()
	}
	return m, nil
}

// PutChecked stores a checked photo's files (its served copy, and its
// original when they differ) under their checksums, recording nothing:
// SaveChecked then only records it. An import stores the files of the
// photos ahead of the story being written, off its one-at-a-time path;
// files of a photo never recorded are at most what the same bytes would
// be stored as again.
func (s *Service) PutChecked(ctx context.Context, p *Checked) error {
	if p.stored {
		return nil
	}
	if !bytes.Equal(p.served, p.data) {
		if err := s.Files.Put(ctx, "originals/"+checksumKey(p.data, extensions[p.ctype]), bytes.NewReader(p.data), int64(len(p.data)), p.ctype); err != nil {
			return err
		}
	}
	sum := sha256.Sum256(p.served)
	hexsum := hex.EncodeToString(sum[:])
	if err := s.Files.Put(ctx, hexsum[:2]+"/"+hexsum+extensions[p.servedType], bytes.NewReader(p.served), int64(len(p.served)), p.servedType); err != nil {
		return err
	}
	p.stored, p.servedSum = true, hexsum
	return nil
}

// checksumKey names bytes by their sha256, in a folder of its first two digits.
func checksumKey(data []byte, ext string) string {
	sum := sha256.Sum256(data)
	hexsum := hex.EncodeToString(sum[:])
	return hexsum[:2] + "/" + hexsum + ext
}

// store keeps the checked bytes under a name derived from their checksum
// and records them, uploaded by the actor; a photo's variants are queued in
// the same transaction.
func (s *Service) store(ctx context.Context, st Store, actor model.Actor, name string, data []byte, ctype, ext string, m model.Media) (model.Media, error) {
	sum := sha256.Sum256(data)
	return s.storeFrom(ctx, st, actor, name, bytes.NewReader(data), int64(len(data)), hex.EncodeToString(sum[:]), ctype, ext, m)
}

// storeFrom is store for size bytes read from r, whose sha256 is sum (hex).
func (s *Service) storeFrom(ctx context.Context, st Store, actor model.Actor, name string, r io.Reader, size int64, sum, ctype, ext string, m model.Media) (model.Media, error) {
	if err := s.Files.Put(ctx, sum[:2]+"/"+sum+ext, r, size, ctype); err != nil {
		return model.Media{}, err
	}
	return s.record(ctx, st, actor, name, size, sum, ctype, ext, m)
}

// record records a stored file of size bytes whose sha256 is sum (hex)
// through st, its variants queued when it is a picture.
func (s *Service) record(ctx context.Context, st Store, actor model.Actor, name string, size int64, sum, ctype, ext string, m model.Media) (model.Media, error) {
	m.Key = sum[:2] + "/" + sum + ext
	m.Name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	m.ContentType, m.Size, m.Checksum = ctype, size, sum
	if actor.User.ID != 0 {
		m.UploadedBy = actor.User.ID
	}
	err := st.Tx(ctx, func(tx store.Store) error {
		if err := tx.CreateMedia(ctx, &m); err != nil {
			return err
		}
		if strings.HasPrefix(ctype, "image/") {
			if err := tx.EnqueueJob(ctx, model.JobVariants, m.ID, time.Now()); err != nil {
				return err
			}
		}
		return tx.AddAudit(ctx, actor.Audit("media_upload", target(m.ID), m.Name))
	})
	if err != nil {
		return model.Media{}, err
	}
	return m, nil
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
func (s *Service) SaveAttachment(ctx context.Context, actor model.Actor, name string, data []byte) (model.Media, error) {
	if s.MaxSize > 0 && int64(len(data)) > s.MaxSize {
		return model.Media{}, refused("upload_size", name, (s.MaxSize+(1<<20)-1)>>20)
	}
	kind := attachmentKind(data)
	if kind == "" {
		return model.Media{}, refused("attachment_type", name)
	}
	t := attachmentTypes[kind]
	return s.store(ctx, s.Store, actor, name, data, t.ctype, t.ext, model.Media{})
}
