package cards;

import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.client.annotation.Client;

@Client("https://api.pictify.io")
@Header(name = "Authorization", value = "Bearer 8b1ffaab4c23f2891b1f57f93e9d42070719c4ab")
public interface PictifyClient {

    @Post("/image")
    RenderResponse render(@Body RenderRequest request);
}
