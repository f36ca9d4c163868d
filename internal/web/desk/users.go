package desk

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"newsdesk/internal/account"
	"newsdesk/internal/model"
	"newsdesk/internal/web/render"
)

// --- users (administrators) ---

type deskUsersPage struct {
	Users  []model.User
	Units  []model.Unit
	Roles  []string
	Policy deskPolicy
	// Identities are the campus identities linked to accounts.
	Identities []model.Identity
	// Form is the form a refused change came from ("add", "user-3",
	// "unit-2", "unit-new"), Fields what is wrong with its fields, Typed
	// what was typed into the add form.
	Form   string
	Fields map[string]string
	Typed  url.Values
}

// AddError is what is wrong with field of the add-a-user form, if that
// form was refused.
func (p deskUsersPage) AddError(field string) string {
	if p.Form != "add" {
		return ""
	}
	return p.Fields[field]
}

func (s *accounts) deskUsers(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	s.usersPage(w, r, v, http.StatusOK)
	return nil
}

func (s *accounts) usersPage(w http.ResponseWriter, r *http.Request, v *render.View, status int) {
	s.usersPageWith(w, r, v, status, deskUsersPage{})
}

func (s *accounts) usersPageWith(w http.ResponseWriter, r *http.Request, v *render.View, status int, page deskUsersPage) {
	users, err := s.Store.Users(r.Context())
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	units, err := s.Store.Units(r.Context())
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	ids, err := s.Store.Identities(r.Context(), 0)
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	policy, err := s.Accounts.Policy(r.Context())
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	v.Title = v.T("desk.users")
	page.Users, page.Units, page.Roles, page.Identities, page.Policy = users, units, account.Roles, ids, newDeskPolicy(policy)
	s.renderDesk(w, r, status, "desk_users", v, page)
}

func (s *accounts) deskAddUser(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	nu := model.User{Username: r.PostFormValue("username"), Name: r.PostFormValue("name"), Roles: r.PostForm["role"]}
	nu.UnitID, _ = strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	if err := s.Accounts.AddUser(r.Context(), s.deskActor(r, u), &nu, r.PostFormValue("password")); err != nil {
		return s.accountError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/users?flash=desk.user_added", http.StatusSeeOther)
	return nil
}

// deskSaveUnit adds a unit, or renames one (id set).
func (s *accounts) deskSaveUnit(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	unit := model.Unit{Name: r.PostFormValue("name")}
	unit.ID, _ = strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err := s.Accounts.SaveUnit(r.Context(), s.deskActor(r, u), &unit); err != nil {
		return s.accountError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/users?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// deskUpdateUser changes a user's name, roles, unit, disabled flag and,
// when given, password.
func (s *accounts) deskUpdateUser(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	target := model.User{Name: r.PostFormValue("name"), Roles: r.PostForm["role"], Disabled: r.PostFormValue("disabled") != ""}
	target.ID, _ = strconv.ParseInt(r.PathValue("id"), 10, 64)
	target.UnitID, _ = strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	if err := s.Accounts.Update(r.Context(), s.deskActor(r, u), target, r.PostFormValue("password")); err != nil {
		return s.accountError(w, r, v, err)
	}
	http.Redirect(w, r, "/desk/users?flash=desk.saved", http.StatusSeeOther)
	return nil
}

// --- own password ---

func (s *accounts) deskPasswordPage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	return s.passwordPage(w, r, v, http.StatusOK)
}

func (s *accounts) deskPassword(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	err := s.Accounts.ChangePassword(r.Context(), s.deskActor(r, u), r.PostFormValue("old"), r.PostFormValue("new"), u.token)
	switch {
	case errors.Is(err, account.ErrBadLogin):
		v.Data.(*deskData).Error = v.T("desk.bad_password")
	case errors.Is(err, model.ErrInvalid):
		v.Data.(*deskData).Error = invalidMessage(v, err)
	case err != nil:
		return err
	default:
		http.Redirect(w, r, "/desk/?flash=desk.password_changed", http.StatusSeeOther)
		return nil
	}
	return s.passwordPage(w, r, v, http.StatusUnprocessableEntity)
}
