# workerd config for the Worker example: bundle worker.js to worker.bundle.js first (esbuild, or let
# wrangler do both). The key and domain come from the environment, never from this file or argv.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .tokenWorker)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const tokenWorker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "worker.bundle.js")],
  compatibilityDate = "2025-11-01",
  bindings = [
    (name = "DAILY_API_KEY", fromEnvironment = "DAILY_API_KEY"),
    (name = "DAILY_DOMAIN_ID", fromEnvironment = "DAILY_DOMAIN_ID"),
  ],
);
