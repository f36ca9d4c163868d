package media

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// Describe saves a file's caption, alt text and credit (图片/摄影). Pages
// show a library picture as its record says, so the change reaches every
// story that uses it.
func (s *Service) Describe(ctx context.Context, actor model.Actor, id int64, caption, alt, credit string) (model.Media, error) {
	m, err := s.Store.Media(ctx, id)
	if err != nil {
		return m, err
	}
	if !actor.IsSystem() && !CanChange(actor.User, m) {
		return m, fmt.Errorf("%w: describe media %d", model.ErrForbidden, id)
	}
	m.Caption, m.Alt, m.Credit = strings.TrimSpace(caption), strings.TrimSpace(alt), strings.TrimSpace(credit)
	if strings.HasPrefix(m.ContentType, "image/") && m.Alt == "" {
		return m, model.Invalid("alt_required")
	}
	for _, f := range []struct {
		code, value string
		max         int
	}{{"caption_long", m.Caption, 300}, {"alt_long", m.Alt, 300}, {"credit_long", m.Credit, 100}} {
		if utf8.RuneCountInString(f.value) > f.max {
			return m, model.Invalid(f.code, f.max)
		}
	}
	err = s.tx(ctx, func(tx Store) error {
		if err := tx.UpdateMedia(ctx, &m); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("media_update", target(m.ID), m.Caption))
	})
	if err != nil {
		return m, err
	}
	if s.Changed != nil {
		s.Changed()
	}
	return m, nil
}

// Delete removes a file that no story uses: its record first (refused
// while in use), then its bytes, variants and original.
func (s *Service) Delete(ctx context.Context, actor model.Actor, id int64) error {
	m, err := s.Store.Media(ctx, id)
	if err != nil {
		return err
	}
	if !actor.IsSystem() && !CanChange(actor.User, m) {
		return fmt.Errorf("%w: delete media %d", model.ErrForbidden, id)
	}
	vars, err := s.Store.Variants(ctx, []int64{id})
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx Store) error {
		if err := tx.DeleteMedia(ctx, id); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("media_delete", target(id), m.Name))
	})
	if err != nil {
		return err
	}
	var keys []string
	for _, v := range vars[id] {
		keys = append(keys, v.Key)
	}
	// The same bytes uploaded twice share a key: keep them while another
	// record points there.
	others, _, err := s.Store.MediaList(ctx, store.MediaQuery{Checksum: m.Checksum, Limit: 1})
	if err != nil {
		return err
	}
	if len(others) == 0 {
		keys = append(keys, m.Key, m.OriginalKey)
	}
	for _, k := range keys {
		if err := s.Files.Delete(ctx, k); err != nil {
			return fmt.Errorf("delete media %d file %s: %w", id, k, err)
		}
	}
	return nil
}

func target(id int64) string { return "media " + strconv.FormatInt(id, 10) }
