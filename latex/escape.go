package latex

import "strings"

// escapes maps each character that LaTeX does not print as itself in
// running text to a command that prints it. `<`, `>` and `|` print as ¡, ¿
// and — in the OT1 font encoding (pdflatex's default), so they get text
// commands too; `~` and `^` would make a tie and an accent.
var escapes = [256]string{
	'\\': `\textbackslash{}`,
	'{':  `\{`,
	'}':  `\}`,
	'#':  `\#`,
	'$':  `\$`,
	'%':  `\%`,
	'&':  `\&`,
	'_':  `\_`,
	'~':  `\textasciitilde{}`,
	'^':  `\textasciicircum{}`,
	'<':  `\textless{}`,
	'>':  `\textgreater{}`,
	'|':  `\textbar{}`,
}

// symbolEscapes maps common non-ASCII symbols that pdflatex's utf8 input
// does not know to math-mode commands that every engine prints. Letters
// with accents and CJK text are left alone: pdflatex knows the former, and
// the latter needs xelatex (ctex) anyway.
var symbolEscapes = map[rune]string{
	'≥': `\ensuremath{\geq}`, '≤': `\ensuremath{\leq}`, '≠': `\ensuremath{\neq}`,
	'≈': `\ensuremath{\approx}`, '×': `\ensuremath{\times}`, '÷': `\ensuremath{\div}`,
	'±': `\ensuremath{\pm}`, '→': `\ensuremath{\rightarrow}`, '←': `\ensuremath{\leftarrow}`,
	'↑': `\ensuremath{\uparrow}`, '↓': `\ensuremath{\downarrow}`, '⇒': `\ensuremath{\Rightarrow}`,
	'∞': `\ensuremath{\infty}`, '∼': `\ensuremath{\sim}`, '∈': `\ensuremath{\in}`,
	'·': `\ensuremath{\cdot}`, '√': `\ensuremath{\surd}`, '°': `\ensuremath{^\circ}`,
	'α': `\ensuremath{\alpha}`, 'β': `\ensuremath{\beta}`, 'γ': `\ensuremath{\gamma}`,
	'δ': `\ensuremath{\delta}`, 'ε': `\ensuremath{\epsilon}`, 'λ': `\ensuremath{\lambda}`,
	'μ': `\ensuremath{\mu}`, 'π': `\ensuremath{\pi}`, 'σ': `\ensuremath{\sigma}`,
	'θ': `\ensuremath{\theta}`, 'τ': `\ensuremath{\tau}`, 'ω': `\ensuremath{\omega}`,
	'Δ': `\ensuremath{\Delta}`, 'Σ': `\ensuremath{\Sigma}`, 'Ω': `\ensuremath{\Omega}`,
	'✓': `\ensuremath{\surd}`, '\u00a0': `~`,
}

// Escape returns s with every character that is special to LaTeX replaced
// by a command that prints it: `\ { } # $ % & _ ~ ^` and `< > |`, plus a
// few symbols (≥, ×, α, ...) that pdflatex's utf8 input does not know. The
// result is valid in running text, in section titles and in tabular cells
// (where `&` must not separate columns). Escaping twice escapes the
// backslashes of the first pass: escape text exactly once. It is the only
// escaping function of the package; it is safe for concurrent use.
func Escape(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if escapes[c] != "" || c >= 0x80 {
			break
		}
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r < 0x80 && escapes[r] != "":
			b.WriteString(escapes[r])
		case r >= 0x80 && symbolEscapes[r] != "":
			b.WriteString(symbolEscapes[r])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
