"""Pages of a long list that never count the list.

Counting the events of a list reads every one of them: at 100,000 events the past-events list
counted 65,000 index entries to print "Page 3 of 3,300". Like most event
calendars, lists page with "Sooner"/"Later" (or "Newer"/"Older") links and say which page this
is; a page reads one event more than it shows, to know whether a next page exists. A page after
the last is a 404, as a page number past the end always was.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

# Beyond any real list (twenty million events at twenty a page), and far from where the offset
# overflows Python's slices or the database's 64-bit OFFSET: a higher page number is a 404.
MAX_PAGE = 1_000_000


class OpenEndedPaginator(Paginator):
    """A ``Paginator`` that knows where a page starts and whether another follows, not how many there are."""

    num_pages = None  # unknown (so "?page=last" is a 404)

    def validate_number(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > MAX_PAGE:
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        first = (number - 1) * self.per_page
        rows = list(self.object_list[first : first + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return OpenEndedPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)


class OpenEndedPage(Page):
    def __init__(self, object_list, number, paginator, *, has_next):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next

    def start_index(self):
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0
