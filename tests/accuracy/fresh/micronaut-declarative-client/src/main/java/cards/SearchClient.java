package cards;

import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.annotation.Client;

@Client("https://${algolia.app-id}-dsn.algolia.net")
@Header(name = "X-Algolia-Application-Id", value = "${algolia.app-id}")
@Header(name = "X-Algolia-API-Key", value = "480d2cfa84a1218e53f562b184dcbcb1")
public interface SearchClient {

    @Get("/1/indexes/cards?query={query}")
    String search(@QueryValue String query);
}
