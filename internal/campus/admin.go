package campus

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsdesk/internal/model"
)

// The changes editors and administrators make: each checks the actor and
// writes its audit entry in the same transaction.

// Link ties a user's account to a campus identity, so that signing in as
// that person opens this account (an administrator's change).
func (s *Service) Link(ctx context.Context, actor model.Actor, userID int64, provider, subject string) error {
	if !actor.User.CanAdminister() {
		return ErrForbidden
	}
	subject = strings.TrimSpace(subject)
	if provider != ProviderCAS && provider != ProviderOIDC {
		return model.Invalid("campus_provider")
	}
	if subject == "" || utf8.RuneCountInString(subject) > 200 {
		return model.Invalid("campus_subject")
	}
	return s.tx(ctx, func(tx Store) error {
		u, err := tx.User(ctx, userID)
		if err != nil {
			return err
		}
		if link, err := tx.Identity(ctx, provider, subject); err == nil {
			other, err := tx.User(ctx, link.UserID)
			if err != nil {
				return err
			}
			return model.Invalid("campus_linked", subject, other.Username)
		}
		if err := tx.CreateIdentity(ctx, model.Identity{Provider: provider, Subject: subject, UserID: u.ID}); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("campus_link", "user "+u.Username, provider+" "+subject))
	})
}

// Unlink removes a user's link to a campus identity.
func (s *Service) Unlink(ctx context.Context, actor model.Actor, userID int64, provider, subject string) error {
	if !actor.User.CanAdminister() {
		return ErrForbidden
	}
	return s.tx(ctx, func(tx Store) error {
		link, err := tx.Identity(ctx, provider, subject)
		if err != nil {
			return err
		}
		if link.UserID != userID {
			return fmt.Errorf("%s identity %q of user %d: %w", provider, subject, userID, model.ErrNotFound)
		}
		u, err := tx.User(ctx, userID)
		if err != nil {
			return err
		}
		if err := tx.DeleteIdentity(ctx, provider, subject); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("campus_unlink", "user "+u.Username, provider+" "+subject))
	})
}

// SetDepartmentUnit maps a department code of the campus directory to a
// unit (unitID 0 removes the code): first sign-ins from that department
// become contributors of that unit. Editors and administrators keep it.
func (s *Service) SetDepartmentUnit(ctx context.Context, actor model.Actor, code string, unitID int64) error {
	if !actor.User.CanPublish() {
		return ErrForbidden
	}
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 64 || strings.IndexFunc(code, unicode.IsSpace) >= 0 {
		return model.Invalid("department_code")
	}
	return s.tx(ctx, func(tx Store) error {
		detail := "removed"
		if unitID != 0 {
			units, err := tx.Units(ctx)
			if err != nil {
				return err
			}
			detail = ""
			for _, u := range units {
				if u.ID == unitID {
					detail = "→ " + u.Name
				}
			}
			if detail == "" {
				return model.Invalid("unit_required")
			}
		}
		if err := tx.SetDepartmentUnit(ctx, code, unitID); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("campus_department", "department "+code, detail))
	})
}

// SetRequired turns on or off the rule that accounts linked to a campus
// identity sign in through campus sign-in only (administrators excepted).
func (s *Service) SetRequired(ctx context.Context, actor model.Actor, required bool) error {
	if !actor.User.CanAdminister() {
		return ErrForbidden
	}
	v := ""
	if required {
		v = "1"
	}
	return s.tx(ctx, func(tx Store) error {
		if err := tx.SetSetting(ctx, SettingRequired, v); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("settings", "site", SettingRequired+"="+strconv.FormatBool(required)))
	})
}

// Required reports whether the site requires campus sign-in.
func (s *Service) Required(ctx context.Context) (bool, error) {
	settings, err := s.Store.Settings(ctx)
	if err != nil {
		return false, err
	}
	return settings[SettingRequired] == "1", nil
}
