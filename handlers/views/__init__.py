"""The view model and its wording: Reply, languages, dates, plain text, print, chart, records as items."""
