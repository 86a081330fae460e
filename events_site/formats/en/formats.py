# The site's English: the source site's dates ("June 14, 2021", "4:00 pm") with weeks from Monday,
# as its European audience keeps them. Django's own English formats fill in the rest.
DATE_FORMAT = "F j, Y"
# Times of day are written by events.timefmt.format_clock ("4:00 pm"); this is the admin's.
TIME_FORMAT = "g:i a"
FIRST_DAY_OF_WEEK = 1  # Monday
# The site's own formats (events.timefmt): a day with its weekday, and an instant in words.
WEEKDAY_DATE_FORMAT = "l, F j, Y"
MOMENT_FORMAT = "l j F Y, H:i"
