from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("feed.rss", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feed.atom", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
