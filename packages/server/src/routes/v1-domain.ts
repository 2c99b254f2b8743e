/** `GET /v1` and `GET /v1/`: the caller's domain configuration, shaped as Daily's. */
import type { FastifyInstance } from 'fastify';

/** Domain config defaults as Daily reports them for a fresh domain. */
export const DEFAULT_DOMAIN_CONFIG = {
  hide_daily_branding: false,
  redirect_on_meeting_exit: null,
  meeting_join_hook: null,
  hipaa: false,
  intercom_auto_record: false,
  lang: 'en',
  enable_prejoin_ui: true,
  enable_live_captions_ui: false,
  enable_network_ui: false,
  enable_daily_logger: true,
  disable_rate_limiting: false,
  attach_callobject_to_window: false,
};

export async function v1DomainRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (request) => {
    const auth = request.auth;
    if (!auth) throw new Error('auth hook missing');
    return { domain_name: auth.domain.name, domain_id: auth.domain.id, config: DEFAULT_DOMAIN_CONFIG };
  });
}
