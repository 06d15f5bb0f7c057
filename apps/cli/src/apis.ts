// The APIs as every command names them, in help and errors. Their names come from @cskit/helpdesk's
// provider table (its light entry point: no client is loaded).
import { PROVIDER_INFO, PROVIDERS, type Provider } from "@cskit/helpdesk/providers";

/** The APIs to choose from, in help and errors: `apideck or deskero`. */
export const API_CHOICES = PROVIDERS.join(" or ");

/** The API's full name, in help and banners: `Apideck Customer Support API`. */
export const apiTitle = (api: Provider) => `${PROVIDER_INFO[api].apiName} API`;
