"""Time: the clock, fuzzy dates, and projecting recurring mechanisms forward."""
