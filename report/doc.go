// Package report builds the weekly group-meeting report from the reading
// notes whose `read` date falls in a week, plus the week's work-log lines, and
// renders it through text/template (markdown) or html/template (HTML).
//
// The flow is: pick a [Week] ([WeekEnding], [NextMeeting], [Range]); find the
// candidate note files cheaply with [Candidates] (front matter only); parse
// those with package notes; call [Build] to get the template data model
// [Data]; then [Render] it with a built-in or workspace template.
//
// report never reads the clock or the environment: the week is an argument.
// The data model is documented for template authors in TEMPLATES.md.
package report
