"""News pages."""

from django.conf import settings
from django.views.generic import DetailView, ListView

from .models import Article


class ArticleListView(ListView):
    """Published articles, newest first."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArticleDetailView(DetailView):
    """One article; staff may preview drafts and scheduled articles."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).for_listing()
