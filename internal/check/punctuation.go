package check

import "strings"

// fullWidth is the Chinese form of half-width punctuation written among
// Chinese characters.
var fullWidth = map[rune]string{',': "，", ':': "：", ';': "；", '!': "！", '?': "？", '(': "（", ')': "）"}

// pairs are the marks that must close what they open, by line.
var pairs = map[rune]rune{'“': '”', '‘': '’', '（': '）', '《': '》', '【': '】', '「': '」', '『': '』'}

// doubled are the full-width marks that are never written twice.
const doubled = "，、；：。"

func punct(rule, text, sug string, start, end int, fix bool, msg string) Finding {
	return Finding{Rule: "punctuation:" + rule, Kind: "punctuation", Category: CatPunctuation, Level: Info,
		Start: start, End: end, Text: text, Suggestion: sug, Fix: fix, Message: msg}
}

// punctuation flags half-width marks among Chinese characters, unpaired
// quotation marks and brackets, doubled marks, 。。。 for ……, spaces
// between Chinese characters and full-width digits and letters.
func punctuation(t []rune) []Finding {
	var out []Finding
	prevNonSpace := func(i int) (int, rune) {
		for j := i - 1; j >= 0 && t[j] != '\n'; j-- {
			if t[j] != ' ' && t[j] != '\t' {
				return j, t[j]
			}
		}
		return -1, 0
	}
	nextNonSpace := func(i int) (int, rune) {
		for j := i + 1; j < len(t) && t[j] != '\n'; j++ {
			if t[j] != ' ' && t[j] != '\t' {
				return j, t[j]
			}
		}
		return len(t), 0
	}
	for i := 0; i < len(t); i++ {
		r := t[i]
		if r >= cjkFirst && r <= cjkLast {
			continue // a Chinese character: none of the cases below
		}
		switch {
		case fullWidth[r] != "":
			// After a Chinese character (spaces between allowed, as in
			// 日期 : 2020), or an opening bracket before one.
			p, pr := prevNonSpace(i)
			n, nr := nextNonSpace(i)
			if isHan(pr) || (r == '(' && isHan(nr)) || (r == ')' && isHan(pr)) {
				start, end := i, i+1
				if isHan(pr) && p < i-1 {
					start = p + 1
				}
				if r != '(' && n > i+1 && n < len(t) && t[n] != ')' {
					end = n
				}
				out = append(out, punct("halfwidth", string(t[start:end]), fullWidth[r], start, end, true, "halfwidth"))
				i = end - 1
			}
		case r == '.' && i+2 < len(t) && t[i+1] == '.' && t[i+2] == '.':
			if _, pr := prevNonSpace(i); isHan(pr) {
				end := i
				for end < len(t) && t[end] == '.' {
					end++
				}
				out = append(out, punct("ellipsis", string(t[i:end]), "……", i, end, true, "ellipsis"))
				i = end - 1
			}
		case r == '。' && i+1 < len(t) && t[i+1] == '。':
			end := i
			for end < len(t) && t[end] == '。' {
				end++
			}
			if end-i >= 3 {
				out = append(out, punct("ellipsis", string(t[i:end]), "……", i, end, true, "ellipsis"))
			} else {
				out = append(out, punct("doubled", string(t[i:end]), "。", i, end, true, "doubled"))
			}
			i = end - 1
		case strings.ContainsRune(doubled, r) && i+1 < len(t) && t[i+1] == r:
			end := i
			for end < len(t) && t[end] == r {
				end++
			}
			out = append(out, punct("doubled", string(t[i:end]), string(r), i, end, true, "doubled"))
			i = end - 1
		case (r == ' ' || r == '\u3000' || r == '\t') && i > 0 && isHan(t[i-1]):
			end := i
			for end < len(t) && (t[end] == ' ' || t[end] == '\u3000' || t[end] == '\t') {
				end++
			}
			if end < len(t) && isHan(t[end]) {
				out = append(out, punct("space", string(t[i:end]), "", i, end, true, "space"))
			}
			i = end - 1
		case (r >= '０' && r <= '９') || (r >= 'Ａ' && r <= 'Ｚ') || (r >= 'ａ' && r <= 'ｚ'):
			end := i
			var half []rune
			for end < len(t) && ((t[end] >= '０' && t[end] <= '９') || (t[end] >= 'Ａ' && t[end] <= 'Ｚ') || (t[end] >= 'ａ' && t[end] <= 'ｚ')) {
				half = append(half, t[end]-0xFEE0)
				end++
			}
			out = append(out, punct("fullwidth", string(t[i:end]), string(half), i, end, true, "fullwidth"))
			i = end - 1
		}
	}
	return append(out, unpaired(t)...)
}

// unpaired finds the marks of each line that open without closing or
// close without opening. Straight quotes (") are left alone: they do not
// say which way they face.
func unpaired(t []rune) []Finding {
	var out []Finding
	closers := map[rune]rune{}
	for o, c := range pairs {
		closers[c] = o
	}
	var stack []int
	flush := func() {
		for _, i := range stack {
			out = append(out, punct("unpaired", string(t[i]), "", i, i+1, false, "unpaired"))
		}
		stack = stack[:0]
	}
	for i, r := range t {
		switch {
		case r == '\n':
			flush()
		case pairs[r] != 0:
			stack = append(stack, i)
		case closers[r] != 0:
			if n := len(stack); n > 0 && t[stack[n-1]] == closers[r] {
				stack = stack[:n-1]
			} else {
				out = append(out, punct("unpaired", string(r), "", i, i+1, false, "unpaired"))
			}
		}
	}
	flush()
	return out
}
