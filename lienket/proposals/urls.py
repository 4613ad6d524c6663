from django.urls import path

from .views import pages, stats

app_name = "proposals"
urlpatterns = [
    path("", pages.public_list, name="public_list"),
    path("xu-ly/", pages.work_list, name="work_list"),
    path("moi/", pages.create, name="create"),
    path("tuong-tu/", pages.similar, name="similar"),
    path("nhom/", pages.group, name="group"),
    path("thong-ke/", stats.statistics, name="statistics"),
    path("thong-ke.xlsx", stats.statistics_xlsx, name="statistics_xlsx"),
    path("danh-sach.xlsx", stats.list_xlsx, name="list_xlsx"),
    path("doc-thuc/", stats.escalation, name="escalation"),
    path("tep/<int:pk>/", pages.attachment_download, name="attachment"),
    path("y-kien-phoi-hop/<int:pk>/tep/", pages.contribution_download, name="contribution_file"),
    path("<int:pk>/", pages.detail, name="detail"),
    path("<int:pk>/van-ban-tra-loi/", pages.answer_file_download, name="answer_file"),
    path("<int:pk>/sua/", pages.edit, name="edit"),
    path("<int:pk>/y-kien-phoi-hop/", pages.contribute, name="contribute"),
    path("<int:pk>/chuyen/", pages.transition, name="transition"),
    path("<int:pk>/ung-ho/", pages.endorse, name="endorse"),
    path("<int:pk>/ghi-chu/", pages.note, name="note"),
    path("<int:pk>/tep/", pages.attach, name="attach"),
    path("<int:pk>/lan-truoc/", pages.link_previous, name="link_previous"),
]
