package check

import (
	"strings"
	"unicode/utf8"
)

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func personalFinding(rule, text, masked, level string, start, end int) Finding {
	return Finding{Rule: "personal:" + rule, Kind: KindPersonal, Category: CatPersonal, Level: level,
		Start: start, End: end, Text: text, Suggestion: masked, Fix: true, Message: "personal_" + rule}
}

// mask keeps the first keep and last tail characters.
func mask(s string, keep, tail int) string {
	r := []rune(s)
	if len(r) <= keep+tail {
		return strings.Repeat("*", len(r))
	}
	return string(r[:keep]) + strings.Repeat("*", len(r)-keep-tail) + string(r[len(r)-tail:])
}

// idValid checks an 18-character resident ID number: its date and the
// ISO 7064 MOD 11-2 check character.
func idValid(s string) bool {
	if len(s) != 18 {
		return false
	}
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		if !isDigit(rune(s[i])) {
			return false
		}
		sum += int(s[i]-'0') * weights[i]
	}
	month, day := (s[10]-'0')*10+(s[11]-'0'), (s[12]-'0')*10+(s[13]-'0')
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return false
	}
	return "10X98765432"[sum%11] == strings.ToUpper(s[17:])[0]
}

// luhn checks a bank card number's check digit.
func luhn(s string) bool {
	sum, double := 0, false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// personal finds resident ID numbers, bank cards, mobile and landline
// numbers, e-mail addresses and the site's own patterns, each with the
// masked form as the fix.
func (c *Checker) personal(t []rune) []Finding {
	var out []Finding
	for i := 0; i < len(t); i++ {
		r := t[i]
		switch {
		case isDigit(r) && (i == 0 || !isDigit(t[i-1])):
			end := i
			for end < len(t) && isDigit(t[end]) {
				end++
			}
			if end < len(t) && (t[end] == 'X' || t[end] == 'x') && end-i == 17 {
				end++
			}
			num := string(t[i:end])
			switch n := end - i; {
			case n == 18 && idValid(num):
				out = append(out, personalFinding("id", num, mask(num, 4, 4), Warn, i, end))
			case n >= 16 && n <= 19 && luhn(num) && !(n == 18 && strings.ContainsAny(num[17:], "xX")):
				out = append(out, personalFinding("card", num, mask(num, 4, 4), Warn, i, end))
			case n == 11 && num[0] == '1' && num[1] >= '3' && num[1] <= '9':
				out = append(out, personalFinding("mobile", num, mask(num, 3, 4), Warn, i, end))
			case n >= 3 && n <= 4 && num[0] == '0' && end < len(t) && (t[end] == '-' || t[end] == '－'):
				j := end + 1
				for j < len(t) && isDigit(t[j]) {
					j++
				}
				if k := j - end - 1; k >= 7 && k <= 8 && (j == len(t) || !isDigit(t[j])) {
					tel := string(t[i:j])
					out = append(out, personalFinding("phone", tel, mask(tel, n+1, 2), Warn, i, j))
					end = j
				}
			}
			i = end - 1
		case r == '@' && i > 0:
			s := i
			for s > 0 && emailLocal(t[s-1]) {
				s--
			}
			e := i + 1
			for e < len(t) && (emailLocal(t[e]) && t[e] != '+') {
				e++
			}
			for e > i+1 && t[e-1] == '.' {
				e--
			}
			if s < i && strings.Contains(string(t[i+1:e]), ".") {
				addr := string(t[s:e])
				local := string(t[s:i])
				m := string([]rune(local)[:1]) + "***" + string(t[i:e])
				out = append(out, personalFinding("email", addr, m, Warn, s, e))
				i = e - 1
			}
		}
	}
	if len(c.rules.Patterns) > 0 {
		s := string(t)
		for _, p := range c.rules.Patterns {
			for _, loc := range p.Re.FindAllStringIndex(s, -1) {
				start, end := utf8.RuneCountInString(s[:loc[0]]), utf8.RuneCountInString(s[:loc[1]])
				text := s[loc[0]:loc[1]]
				if start == end {
					continue
				}
				f := personalFinding("pattern", text, mask(text, 2, 2), p.Level, start, end)
				f.Rule = "personal:" + p.Name
				out = append(out, f)
			}
		}
	}
	return out
}

func emailLocal(r rune) bool {
	return r < 0x80 && (isDigit(r) || (r|0x20 >= 'a' && r|0x20 <= 'z') || strings.ContainsRune("._%+-", r))
}
