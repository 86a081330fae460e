# The site's own formats (events.timefmt); Django's Italian formats give the rest ("14 giugno 2021").
DATE_FORMAT = "j F Y"
WEEKDAY_DATE_FORMAT = "l j F Y"
MOMENT_FORMAT = "l j F Y, H:i"
