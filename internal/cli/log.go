package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/report"
	"github.com/papernotes/papernotes/worklog"
)

type logOptions struct {
	IO     *IOStreams
	Config func() (*config.Config, error)
	// Text is the line to append; "" means list Week instead.
	Text string
	Date time.Time
	Week report.Week
	JSON bool
	// Display shortens a path for messages.
	Display func(string) string
	// Lock runs a function holding the workspace lock; nil runs it directly.
	Lock func(func() error) error
}

func newCmdLog(f *Factory, runF func(*logOptions) error) *cobra.Command {
	opts := &logOptions{IO: f.IOStreams, Config: f.Config, Display: f.displayPath, Lock: f.locked}
	var date, week string
	cmd := &cobra.Command{
		Use:   "log [TEXT... [--date DATE] | --week DATE]",
		Short: "Add to the work log, or list a week of it",
		Long: `With TEXT, append a dated line to the work log (journal/YYYY-Www.md, one
markdown file per ISO week) for today or --date. Text over several lines is
joined into one line. The report's "last week's work" lists these lines.

Without TEXT, list the work log of the week ending on --week DATE, or of the
week of the next meeting.`,
		Example: `  papernotes log 已将数据集和代码迁移至新硬盘
  papernotes log --date 2025-11-17 "moved the data to the new disk"
  papernotes log --week 2025-11-19`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Text = strings.TrimSpace(strings.Join(args, " "))
			if opts.Text != "" && week != "" {
				return flagErrorf("--week lists the log; it takes no TEXT")
			}
			if opts.Text == "" && date != "" {
				return flagErrorf("--date needs TEXT to append")
			}
			if opts.Text != "" && opts.JSON {
				return flagErrorf("--json applies to listing (--week)")
			}
			if len(args) > 0 && opts.Text == "" {
				return flagErrorf("TEXT is empty")
			}
			var err error
			switch {
			case date != "":
				if opts.Date, err = f.dateFlag("date", date); err != nil {
					return err
				}
			case opts.Text != "":
				opts.Date = f.Now()
			case week != "":
				d, err := f.dateFlag("week", week)
				if err != nil {
					return err
				}
				opts.Week = report.WeekEnding(d)
			default:
				cfg, err := f.Config()
				if err != nil {
					return err
				}
				opts.Week = report.WeekEnding(report.NextMeeting(f.Now(), cfg.MeetingWeekday()))
			}
			if runF != nil {
				return runF(opts)
			}
			return logRun(opts)
		},
	}
	cmd.Flags().StringVar(&date, "date", "", "date of the line to append (YYYY-MM-DD, today, yesterday, ...; default today)")
	cmd.Flags().StringVar(&week, "week", "", "list the 7 days ending on meeting `DATE` (YYYY-MM-DD, today, last, this, next)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "list as JSON: [{date, text, file, line}]")
	return cmd
}

func logRun(opts *logOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	dir := cfg.Path(cfg.Journal.Dir)
	if opts.Text != "" {
		err := runLocked(opts.Lock, func() error { return worklog.Append(dir, opts.Date, opts.Text) })
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.ErrOut, "logged %s in %s\n", opts.Date.Format(time.DateOnly), opts.Display(dir+"/"+worklog.FileName(opts.Date)))
		return nil
	}
	entries, skipped, err := worklog.BetweenIn(dir, cfg.Workspace, opts.Week.Start, opts.Week.End)
	for _, e := range skipped {
		fmt.Fprintln(opts.IO.ErrOut, skippedWarning(cfg.Workspace, e))
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		type jsonEntry struct {
			Date string `json:"date"`
			Text string `json:"text"`
			File string `json:"file"`
			Line int    `json:"line"`
		}
		out := make([]jsonEntry, len(entries))
		for i, e := range entries {
			out[i] = jsonEntry{e.Date.Format(time.DateOnly), e.Text, opts.Display(e.File), e.Line}
		}
		return writeJSON(opts.IO.Out, out)
	}
	for _, e := range entries {
		fmt.Fprintf(opts.IO.Out, "%s %s\n", e.Date.Format(time.DateOnly), e.Text)
	}
	return nil
}
