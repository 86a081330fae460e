"""Everything about calendar files, in one place.

* ``builder``: the one builder of every VEVENT and calendar (RFC 5545), and the .ics responses;
* ``stored``: each event's VEVENTs written once by that builder, for large feeds;
* ``views``: the .ics downloads and subscriptions, the subscribe page and the personal schedule;
* ``links``: "Add to Google Calendar" and Outlook links;
* ``importer`` and ``admin_import``: reading .ics files in, from ``manage.py import_ics`` and the admin.
"""
