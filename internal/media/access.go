package media

import (
	"context"
	"fmt"
	"strconv"

	"newsdesk/internal/model"
)

// Who may fetch a file. Ids are sequential and names are what was
// uploaded, so neither is a secret: a file is served to anyone only while
// a published story uses it or an editor marked it public; otherwise only
// to desk users who may see a story that uses it, to its uploader and to
// editors. Anyone else is told it does not exist (model.ErrNotFound, a
// 404), not that it is forbidden.

// Reach is how widely a file may be served, and so how long it may be cached.
type Reach int

const (
	// Private files go only to the signed-in viewer who asked, uncached.
	Private Reach = iota + 1
	// Published files go to anyone while a published story uses them.
	Published
	// Marked files go to anyone, for good: an editor marked them public.
	Marked
)

// CanChange reports whether u may describe or delete a file: editors and
// administrators any, everyone else what they uploaded.
func CanChange(u model.User, m model.Media) bool {
	return u.CanPublish() || (m.UploadedBy != 0 && m.UploadedBy == u.ID)
}

// CanMark reports whether u may mark files public or take the mark back:
// that publishes them, so those who publish.
func CanMark(u model.User) bool { return u.CanPublish() }

// reach decides how widely m may be served to viewer (nil: nobody signed
// in).
func (s *Service) reach(ctx context.Context, viewer *model.User, m model.Media) (Reach, error) {
	switch {
	case m.Public:
		return Marked, nil
	case m.InPublished:
		return Published, nil
	case viewer == nil:
		return 0, fmt.Errorf("media %d is not public: %w", m.ID, model.ErrNotFound)
	case CanChange(*viewer, m):
		return Private, nil
	}
	if s.CanView != nil {
		uses, err := s.Store.MediaUses(ctx, m.ID)
		if err != nil {
			return 0, err
		}
		for _, a := range uses {
			if s.CanView(*viewer, a) {
				return Private, nil
			}
		}
	}
	return 0, fmt.Errorf("media %d is not for user %d: %w", m.ID, viewer.ID, model.ErrNotFound)
}

// Open returns file id, named name, if viewer (nil: nobody signed in) may
// fetch it, and how widely it may be served; model.ErrNotFound otherwise.
func (s *Service) Open(ctx context.Context, viewer *model.User, id int64, name string) (model.Media, Reach, error) {
	m, err := s.Store.Media(ctx, id)
	if err != nil {
		return m, 0, err
	}
	if m.Name != name {
		return m, 0, fmt.Errorf("media %d is not named %q: %w", id, name, model.ErrNotFound)
	}
	r, err := s.reach(ctx, viewer, m)
	return m, r, err
}

// OpenVariant is Open for the variant stored under key: a variant goes
// to whoever may fetch its file.
func (s *Service) OpenVariant(ctx context.Context, viewer *model.User, key string) (model.Variant, Reach, error) {
	v, err := s.Store.VariantByKey(ctx, key)
	if err != nil {
		return v, 0, err
	}
	m, err := s.Store.Media(ctx, v.MediaID)
	if err != nil {
		return v, 0, err
	}
	r, err := s.reach(ctx, viewer, m)
	return v, r, err
}

// OpenUsedBy returns file id, named name, for someone outside the desk
// who may see story articleID as it will appear (an outside approver,
// while their link is good): a file the story uses, or one anyone may
// fetch; model.ErrNotFound otherwise. What is not yet public goes to
// them alone (Private).
func (s *Service) OpenUsedBy(ctx context.Context, articleID, id int64, name string) (model.Media, Reach, error) {
	m, err := s.Store.Media(ctx, id)
	if err != nil {
		return m, 0, err
	}
	if m.Name != name {
		return m, 0, fmt.Errorf("media %d is not named %q: %w", id, name, model.ErrNotFound)
	}
	r, err := s.usedBy(ctx, articleID, m)
	return m, r, err
}

// OpenVariantUsedBy is OpenUsedBy for the variant stored under key.
func (s *Service) OpenVariantUsedBy(ctx context.Context, articleID int64, key string) (model.Variant, Reach, error) {
	v, err := s.Store.VariantByKey(ctx, key)
	if err != nil {
		return v, 0, err
	}
	m, err := s.Store.Media(ctx, v.MediaID)
	if err != nil {
		return v, 0, err
	}
	r, err := s.usedBy(ctx, articleID, m)
	return v, r, err
}

// usedBy is how widely m may go to one who may see story articleID.
func (s *Service) usedBy(ctx context.Context, articleID int64, m model.Media) (Reach, error) {
	if r, err := s.reach(ctx, nil, m); err == nil {
		return r, nil
	}
	uses, err := s.Store.MediaUses(ctx, m.ID)
	if err != nil {
		return 0, err
	}
	for _, a := range uses {
		if a.ID == articleID {
			return Private, nil
		}
	}
	return 0, fmt.Errorf("media %d is not used by article %d: %w", m.ID, articleID, model.ErrNotFound)
}

// SetPublic marks a file public (served to anyone, whether or not a
// published story uses it) or takes the mark back, for the library's
// editors; audited with the change.
func (s *Service) SetPublic(ctx context.Context, actor model.Actor, id int64, public bool) (model.Media, error) {
	if !CanMark(actor.User) {
		return model.Media{}, fmt.Errorf("mark media %d public: %w", id, model.ErrForbidden)
	}
	var m model.Media
	err := s.tx(ctx, func(tx Store) error {
		var err error
		if m, err = tx.Media(ctx, id); err != nil {
			return err
		}
		if m.Public == public {
			return nil
		}
		if err := tx.SetMediaPublic(ctx, id, public); err != nil {
			return err
		}
		m.Public = public
		action := "media_private"
		if public {
			action = "media_public"
		}
		return tx.AddAudit(ctx, actor.Audit(action, "media "+strconv.FormatInt(id, 10), m.Name))
	})
	if err != nil {
		return m, fmt.Errorf("mark media %d public=%t: %w", id, public, err)
	}
	return m, nil
}
