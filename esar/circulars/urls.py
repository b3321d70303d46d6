app_name = "circulars"

urlpatterns: list = []
