import { CourierClient } from "@trycourier/courier";

export const courier = new CourierClient({ authorizationToken: "pk_prod_MXQNVH2CIOAKPKAN5EB3KJM2W46X" });
