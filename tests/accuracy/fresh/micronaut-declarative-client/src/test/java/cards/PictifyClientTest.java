package cards;

import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@MicronautTest
@Property(name = "pictify.api-key", value = "pk_test_kQLS1PEfeb6P7KDb09t2liE4nQCP49NH")
class PictifyClientTest {

    @Inject
    PictifyClient client;

    @Test
    void clientIsInjected() {
        assert client != null;
    }
}
