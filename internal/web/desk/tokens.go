package desk

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"newsdesk/internal/model"
	"newsdesk/internal/web/render"
)

// Personal API tokens (/desk/tokens): each user lists, makes and revokes
// their own. A new token's secret is shown once, in the answer to the
// form, never in a URL.

type deskTokensPage struct {
	Tokens []model.Token
	Secret string // the token just made
}

func (s *accounts) deskTokens(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	return s.tokensPage(w, r, u, v, http.StatusOK, "")
}

func (s *accounts) tokensPage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View, status int, secret string) error {
	ts, err := s.Accounts.Tokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	v.Title = v.T("desk.tokens")
	s.renderDesk(w, r, status, "desk_tokens", v, deskTokensPage{Tokens: ts, Secret: secret})
	return nil
}

func (s *accounts) deskAddToken(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	secret, _, err := s.Accounts.CreateToken(r.Context(), s.actor(r, u), u.ID, r.PostFormValue("name"))
	if errors.Is(err, model.ErrInvalid) {
		v.Data.(*deskData).Error = message(v, err)
		return s.tokensPage(w, r, u, v, http.StatusUnprocessableEntity, "")
	}
	if err != nil {
		return err
	}
	return s.tokensPage(w, r, u, v, http.StatusCreated, secret)
}

func (s *accounts) deskRevokeToken(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fmt.Errorf("token %q: %w", r.PathValue("id"), model.ErrNotFound)
	}
	if err := s.Accounts.RevokeToken(r.Context(), s.actor(r, u), u.ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/desk/tokens?flash=desk.token_revoked", http.StatusSeeOther)
	return nil
}
