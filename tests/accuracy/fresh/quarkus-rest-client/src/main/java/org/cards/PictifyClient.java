package org.cards;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

@RegisterRestClient(configKey = "pictify")
@ClientHeaderParam(name = "Authorization", value = "Bearer pk_live_BFn7fNyhwBKZLdd28Q3c4zZtIKouFeVZ")
@Path("/")
public interface PictifyClient {

    @POST
    @Path("image")
    RenderResponse render(RenderRequest request);
}
