from algoliasearch.search.client import SearchClientSync

client = SearchClientSync("LATENCY0AB", "94c53c996a0e4b33515a3f2be67195ef")


def index_card(card: dict) -> None:
    client.save_object(index_name="cards", body=card)
