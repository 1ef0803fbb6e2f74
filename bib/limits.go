package bib

import (
	"fmt"

	"github.com/nickng/bibtex"
)

// Limits on what one value may expand to. @string macros form a graph that
// is stored compactly (a macro used twice is stored once), but expanding
// it can double at each level: 1.5 KB of chained `@string{aN = aM # aM}`
// expands to gigabytes. Values past a limit are problems of the file
// ([ErrTooLarge], at the field or @string), never a hang.
const (
	// MaxValueBytes is the largest expansion of one field or @string value.
	MaxValueBytes = 1 << 20
	// MaxValueParts is the largest number of parts (text pieces and macro
	// uses) one value may expand through: a chain that doubles empty
	// macros expands to nothing, but only after visiting 2^levels parts.
	MaxValueParts = 1 << 20
	// MaxMacroDepth is the deepest nesting of macro references in one value
	// (a macro defined by a macro defined by a macro ...).
	MaxMacroDepth = 64
	// expansionBudgetBase plus expansionBudgetFactor times the file size is
	// the budget of one file: the total expansion of its values that use
	// macros. Past it, further such values are problems.
	// MaxFileBytes is the largest .bib file read: positions within a file
	// are stored in 32 bits. A larger file is one [ErrTooLarge] problem.
	MaxFileBytes          = 1<<31 - 1
	expansionBudgetBase   = 64 << 20
	expansionBudgetFactor = 8
)

// vsize is the expanded size of a value (saturated at MaxValueBytes+1),
// the number of parts expanding it visits (saturated at MaxValueParts+1)
// and its macro depth (saturated at MaxMacroDepth+1).
type vsize struct {
	n, parts, depth int
	busy            bool // being measured: meeting it again means a cycle
}

func (s vsize) tooLarge() bool {
	return s.n > MaxValueBytes || s.parts > MaxValueParts || s.depth > MaxMacroDepth
}

// describe says which limit s is over, for messages.
func (s vsize) describe() string {
	if s.depth > MaxMacroDepth {
		return fmt.Sprintf("macros nest more than %d levels deep", MaxMacroDepth)
	}
	if s.n > MaxValueBytes {
		return fmt.Sprintf("expands to more than %d bytes (1 MiB)", MaxValueBytes)
	}
	return fmt.Sprintf("expands through more than %d parts", MaxValueParts)
}

// measurer computes vsizes with a memo keyed by node, so that a value
// sharing a macro many times is measured in time linear in its graph, not
// its expansion. It walks with an explicit stack, so a chain of a million
// macros cannot overflow the goroutine stack.
type measurer struct {
	memo map[bibtex.BibString]vsize
}

// children returns v's sub-values and whether v is an inner node.
func children(v bibtex.BibString) ([]bibtex.BibString, bool) {
	switch v := v.(type) {
	case *bibtex.BibVar:
		if v == nil || v.Value == nil {
			return nil, false
		}
		return []bibtex.BibString{v.Value}, true
	case *bibtex.BibComposite:
		if v == nil {
			return nil, false
		}
		return *v, true
	}
	return nil, false
}

// leaf measures a value with no sub-values.
func leaf(v bibtex.BibString) vsize {
	switch v := v.(type) {
	case nil:
		return vsize{parts: 1}
	case bibtex.BibConst:
		return vsize{n: len(v), parts: 1}
	case *bibtex.BibConst:
		if v == nil {
			return vsize{parts: 1}
		}
		return vsize{n: len(*v), parts: 1}
	case *bibtex.BibVar:
		if v == nil {
			return vsize{parts: 1}
		}
		return vsize{n: len(v.Key), parts: 1, depth: 1} // undefined: expands to its name
	case *bibtex.BibComposite:
		return vsize{parts: 1}
	}
	return vsize{n: len(v.String()), parts: 1}
}

// measure returns the size of root. With unique, root is known to be
// used by nothing else (a field's own value, not an @string's, which
// macro uses share), so it is measured without a memo entry of its own:
// memo entries only pay for values met again, and a library's fields
// would otherwise fill the memo with values met once.
func (m *measurer) measure(root bibtex.BibString, unique bool) vsize {
	if _, inner := children(root); !inner {
		return leaf(root)
	}
	if s, ok := leafVar(root); ok {
		// The common macro use, `journal = tpami`: no memo needed.
		return s
	}
	if !unique {
		if s, ok := m.memo[root]; ok && !s.busy {
			return s
		}
	}
	if m.memo == nil {
		m.memo = make(map[bibtex.BibString]vsize)
	}
	type frame struct {
		v    bibtex.BibString
		kids []bibtex.BibString
		i    int
		acc  vsize
	}
	if !unique {
		m.memo[root] = vsize{busy: true}
	}
	kids, _ := children(root)
	stack := []frame{{v: root, kids: kids}}
	var out vsize
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.i < len(top.kids) {
			k := top.kids[top.i]
			top.i++
			var s vsize
			if kk, inner := children(k); !inner {
				s = leaf(k)
			} else if got, ok := leafVar(k); ok {
				s = got // a use of a plain macro, one of many: not worth a memo entry
			} else if got, ok := m.memo[k]; ok {
				s = got
				if s.busy { // a cycle (cannot come from one file; guard anyway)
					s = vsize{n: MaxValueBytes + 1, parts: MaxValueParts + 1, depth: MaxMacroDepth + 1}
				}
			} else {
				m.memo[k] = vsize{busy: true}
				stack = append(stack, frame{v: k, kids: kk})
				continue
			}
			top.acc = combine(top.acc, s)
			continue
		}
		res := top.acc
		if _, ok := top.v.(*bibtex.BibVar); ok {
			res.depth = min(res.depth+1, MaxMacroDepth+1)
			res.parts = max(res.parts, 1) // a use of an empty macro still costs a visit
		}
		if len(stack) > 1 || !unique {
			m.memo[top.v] = res
		}
		stack = stack[:len(stack)-1]
		if len(stack) > 0 {
			p := &stack[len(stack)-1]
			p.acc = combine(p.acc, res)
		} else {
			out = res
		}
	}
	return out
}

// leafVar measures v when it is a use of a macro whose value is a leaf.
func leafVar(v bibtex.BibString) (vsize, bool) {
	bv, ok := v.(*bibtex.BibVar)
	if !ok || bv == nil {
		return vsize{}, false
	}
	if _, inner := children(bv.Value); inner {
		return vsize{}, false
	}
	s := leaf(bv.Value)
	s.depth++
	return s, true
}

// empty makes the inner node v expand to nothing, in place, so that the
// macros and fields that use it (they point at v) see it empty too and are
// not reported in turn.
func (m *measurer) empty(v bibtex.BibString) {
	switch v := v.(type) {
	case *bibtex.BibVar:
		v.Value = bibtex.BibConst("")
		m.memo[v] = vsize{parts: 1, depth: 1}
	case *bibtex.BibComposite:
		*v = nil
		m.memo[v] = vsize{}
	}
}

// combine adds the size of b to a and keeps the deeper depth, saturating.
func combine(a, b vsize) vsize {
	return vsize{
		n:     min(a.n+b.n, MaxValueBytes+1),
		parts: min(a.parts+b.parts, MaxValueParts+1),
		depth: max(a.depth, b.depth),
	}
}

// limitExpansion enforces the limits on f's values that use macros: an
// @string over a limit expands to nothing, a field over a limit is dropped,
// each with an [ErrTooLarge] error at its position. Values already checked
// (plain text, or macros fully measured before) cost little to check again,
// so it runs after every step that can fill macros in ([Parse], [File.Resolve]).
func (f *File) limitExpansion() {
	var m measurer
	budget := expansionBudgetBase + expansionBudgetFactor*f.Size - f.expanded
	if budget < 0 {
		budget = 0
	}
	var added ErrorList
	for _, s := range f.Strings {
		if _, inner := children(s.Value); !inner {
			continue
		}
		if sz := m.measure(s.Value, false); sz.tooLarge() {
			added.Addf(s.Pos, SeverityError, "", ErrTooLarge, "@string %s %s; it expands to nothing", s.Name, sz.describe())
			m.empty(s.Value)
			s.Value = bibtex.BibConst("")
		}
	}
	for _, e := range f.Entries {
		drop := -1
		for i := range e.Fields {
			fl := &e.Fields[i]
			if _, inner := children(fl.Value); !inner {
				continue
			}
			sz := m.measure(fl.Value, true)
			switch {
			case sz.tooLarge():
				added.Addf(fl.Pos(e.Pos.Filename), SeverityError, e.Key, ErrTooLarge, "field %s %s; field ignored", fl.Name, sz.describe())
			case sz.n+sz.parts > budget:
				added.Addf(fl.Pos(e.Pos.Filename), SeverityError, e.Key, ErrTooLarge,
					"field %s: the file's macros expand to more than %d bytes in all; field ignored", fl.Name, expansionBudgetBase+expansionBudgetFactor*f.Size)
			default:
				budget -= sz.n + sz.parts
				f.expanded += sz.n + sz.parts
				continue
			}
			fl.Value = nil // dropped below
			if drop < 0 {
				drop = i
			}
		}
		if drop >= 0 {
			kept := make([]Field, 0, len(e.Fields)-1)
			for _, fl := range e.Fields {
				if fl.Value != nil {
					kept = append(kept, fl)
				}
			}
			e.Fields = kept[:len(kept):len(kept)]
		}
	}
	if len(added) > 0 {
		f.Problems = append(f.Problems[:len(f.Problems):len(f.Problems)], added...)
		f.Problems.Sort()
	}
}

// maxFileBytes is MaxFileBytes; tests lower it.
var maxFileBytes = MaxFileBytes
