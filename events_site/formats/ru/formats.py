# The site's own formats (events.timefmt); Django's Russian formats give the rest.
WEEKDAY_DATE_FORMAT = "l, j E Y г."
MOMENT_FORMAT = "l, j E Y г., H:i"
