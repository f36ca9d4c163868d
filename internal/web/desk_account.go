package web

import (
	"errors"
	"net/http"

	"newsdesk/internal/store"
)

// Desk pages for accounts: users and units (administrators), and what the
// user changes of their own account. The rules are in package account.

// deskActor is who makes a desk request, and from where (u nil: nobody is
// signed in yet).
func (s *Server) deskActor(r *http.Request, u *deskUser) store.Actor {
	a := store.Actor{IP: s.clientIP(r), Via: "desk"}
	if u != nil {
		a.User = u.User
	}
	return a
}

// accountError shows what is wrong with a change on the users page; other
// errors go to the desk's one wrapper.
func (s *Server) accountError(w http.ResponseWriter, r *http.Request, v *view, err error) error {
	if !errors.Is(err, store.ErrInvalid) {
		return err
	}
	v.Data.(*deskData).Error = invalidMessage(v, err)
	s.usersPage(w, r, v, http.StatusUnprocessableEntity)
	return nil
}
