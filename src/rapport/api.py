from ninja import NinjaAPI

api = NinjaAPI(title="Rapport API", version="1")
