# The site's own formats (events.timefmt); Django's German formats give the rest.
WEEKDAY_DATE_FORMAT = "l, j. F Y"
MOMENT_FORMAT = "l, j. F Y, H:i"
