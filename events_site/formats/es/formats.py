# The site's own formats (events.timefmt); Django's Spanish formats give the rest.
WEEKDAY_DATE_FORMAT = r"l, j \d\e F \d\e Y"
MOMENT_FORMAT = r"l, j \d\e F \d\e Y, H:i"
