from ninja import NinjaAPI

api = NinjaAPI(title="e-SAR API", version="1", urls_namespace="api", docs_url=None)
