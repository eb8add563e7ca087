import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mlInfraIngestPermission,
  mlInfraWaiverApprovePermission,
  mlInfraWaiverCreatePermission,
  mlInfraWaiverRevokePermission,
  type MlInfraApiComponents,
} from '@ml-infra-portal/plugin-ml-infra-common';
import express, { NextFunction, Request, Response } from 'express';
import { createOpenApiRouter, spec } from '../schema/openapi.generated';
import { authorize, ModuleAccess } from './auth/ModuleAccess';
import { MlInfraConfig } from './config';
import { IngestionService, Upload } from './IngestionService';
import { entityRefOf, ModuleCatalog } from './ModuleCatalog';
import { PromotionGate } from './PromotionGate';
import { UnsupportedMediaTypeError } from './errors';
import { UploadBody } from './uploadBody';
import {
  ComplianceService,
  ModuleListService,
  ModuleTabsService,
} from './types';
import { normalizeEntityRef } from './validation';
import { WaiverService } from './WaiverService';

type IngestResponse = MlInfraApiComponents['schemas']['IngestResponse'];

/** Path parameters of the routes of one module. */
type EntityPath = { kind: string; namespace: string; name: string };

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: ModuleCatalog;
  access: ModuleAccess;
  config: MlInfraConfig;
  ingestion: IngestionService;
  moduleList: ModuleListService;
  moduleTabs: ModuleTabsService;
  compliance: ComplianceService;
  gate: PromotionGate;
  waivers: WaiverService;
}

const JSON_LIMIT = '5mb';

/** Request body media types per POST route, from the OpenAPI document. */
const BODY_TYPES = Object.entries(spec.paths).flatMap(([path, item]) => {
  const content = (item as { post?: { requestBody?: { content?: object } } })
    .post?.requestBody?.content;
  return content
    ? [
        {
          path,
          pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
          types: Object.keys(content),
        },
      ]
    : [];
});

/**
 * Refuses, before any byte of the body is read, what the routes cannot take: compressed bodies
 * (neither the streaming parsers nor the JSON routes inflate them, so a compression bomb never
 * expands) and bodies whose Content-Type a route does not list. It runs outside the OpenAPI
 * validator, whose error handler would turn the 415 into a 400.
 */
function checkBodyHeaders(req: Request, _res: Response, next: NextFunction) {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] ?? '0') !== '0';
  if (!hasBody) {
    next();
    return;
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding !== 'identity') {
    throw new UnsupportedMediaTypeError(
      `Content-Encoding '${encoding}' is not supported; send the body uncompressed`,
    );
  }
  const route =
    req.method === 'POST'
      ? BODY_TYPES.find(r => r.pattern.test(req.path))
      : undefined;
  if (!route) {
    next();
    return;
  }
  const header = req.headers['content-type'];
  const type = header?.split(';')[0].trim().toLowerCase();
  if (!type || !route.types.includes(type)) {
    throw new UnsupportedMediaTypeError(
      `${
        header ? `Unsupported Content-Type '${header}'` : 'Missing Content-Type'
      } for POST ${route.path}; send one of ${route.types.join(', ')}`,
    );
  }
  next();
}

/**
 * The HTTP API under /api/ml-infra. Ingest routes read raw bodies (no body parser): the parsers
 * stream them. Every route needs a user or service principal; permissions decide the rest.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    catalog,
    access,
    config,
    ingestion,
    moduleList,
    moduleTabs,
    compliance,
    gate,
    waivers,
  } = options;
  const json = express.json({ limit: JSON_LIMIT });
  // The validator needs JSON bodies parsed before it runs; ingest bodies must stay unread streams.
  const jsonExceptIngest = (req: Request, res: Response, next: NextFunction) =>
    req.path.startsWith('/ingest/') ? next() : json(req, res, next);
  // Body checks and JSON parsing run before the validator, outside it: its error handler turns
  // every error into a 400, which would hide the 413 of an oversized JSON body and the 415s.
  const outer = express.Router();
  outer.use(checkBodyHeaders, jsonExceptIngest);
  const router = await createOpenApiRouter({
    middleware: [(_req: Request, _res: Response, next: NextFunction) => next()],
  });
  outer.use(router);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Whatever a route's typed params, query and body: these helpers read only headers and params.
  type AnyRequest = Request<unknown, any, unknown, unknown>;

  const credentialsOf = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /** A module the caller may read (ModuleAccess decides; the catalog 404s the unseen). */
  async function readableModule(req: AnyRequest, ref: string) {
    const credentials = await credentialsOf(req);
    const entity = await access.requireReadable(
      credentials,
      normalizeEntityRef(ref),
    );
    return { credentials, entity, entityRef: entityRefOf(entity) };
  }

  const pathRef = (req: Request<EntityPath>) =>
    `${req.params.kind}:${req.params.namespace}/${req.params.name}`;

  // Ingestion ---------------------------------------------------------------------------------

  /** The caller of an ingestion route, when it may report. */
  async function reporter(req: AnyRequest) {
    const credentials = await credentialsOf(req);
    await authorize(permissions, credentials, mlInfraIngestPermission);
    return credentials;
  }

  /** 201 when the request made something new, 200 when it replaced what was there. */
  function stored<R extends { created?: boolean; replaced?: boolean }>(
    res: Response<R>,
    result: R,
  ) {
    res.status(result.created ?? !result.replaced ? 201 : 200).json(result);
  }

  /**
   * An upload: the body streams to the parser, unread by any body parser; the query is the
   * route's, typed and checked by the validated router.
   */
  async function upload<Query>(
    req: Request<unknown, IngestResponse, unknown, Query>,
    res: Response<IngestResponse>,
    ingest: (upload: Upload<Query>) => Promise<IngestResponse>,
  ) {
    let body: UploadBody | undefined;
    try {
      const credentials = await reporter(req);
      UploadBody.checkDeclaredLength(
        req.headers['content-length'],
        config.ingestion.maxBodyBytes,
      );
      body = new UploadBody(req, config.ingestion.maxBodyBytes);
      stored(
        res,
        await ingest({
          query: req.query,
          contentType: req.headers['content-type'],
          body,
          credentials,
        }),
      );
    } catch (error) {
      throw body ? body.translate(error) : error;
    } finally {
      if (body) {
        body.drain();
      } else if (!req.readableEnded) {
        req.resume();
      }
    }
  }

  router.post('/ingest/tests', (req, res) =>
    upload(req, res, u => ingestion.ingestTests(u)),
  );
  router.post('/ingest/policy', (req, res) =>
    upload(req, res, u => ingestion.ingestPolicy(u)),
  );
  router.post('/ingest/drift', (req, res) =>
    upload(req, res, u => ingestion.ingestDrift(u)),
  );

  // The JSON ingestion routes: req.body has the type of the operation's schema in openapi.yaml,
  // which the validated router has held it to.

  router.post('/runs', async (req, res) => {
    stored(res, await ingestion.recordRun(req.body, await reporter(req)));
  });
  router.post('/releases', async (req, res) => {
    stored(res, await ingestion.recordRelease(req.body, await reporter(req)));
  });
  router.post('/deployments', async (req, res) => {
    const credentials = await reporter(req);
    stored(res, await ingestion.recordDeployment(req.body, credentials));
  });
  router.post('/modules', async (req, res) => {
    stored(res, await ingestion.registerModule(req.body, await reporter(req)));
  });

  // Reads -------------------------------------------------------------------------------------

  router.get('/modules', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(await moduleList.listModules(req.query, credentials));
  });

  router.get('/modules/:kind/:namespace/:name', async (req, res) => {
    const { entity } = await readableModule(req, pathRef(req));
    res.json(await moduleList.getModule(entity));
  });

  router.get('/modules/:kind/:namespace/:name/versions', async (req, res) => {
    const { entity } = await readableModule(req, pathRef(req));
    res.json({ items: await moduleTabs.getVersions(entity) });
  });

  router.get(
    '/modules/:kind/:namespace/:name/environments',
    async (req, res) => {
      const { entity } = await readableModule(req, pathRef(req));
      res.json(await moduleTabs.getEnvironments(entity));
    },
  );

  router.get('/modules/:kind/:namespace/:name/drift', async (req, res) => {
    const { entity } = await readableModule(req, pathRef(req));
    res.json(await moduleTabs.getDrift(entity));
  });

  router.get('/modules/:kind/:namespace/:name/policy', async (req, res) => {
    const { entity } = await readableModule(req, pathRef(req));
    res.json(await moduleTabs.getPolicy(entity, req.query.version));
  });

  router.get('/modules/:kind/:namespace/:name/tests', async (req, res) => {
    const { entity } = await readableModule(req, pathRef(req));
    res.json(await moduleTabs.getTests(entity, req.query.version));
  });

  router.get('/compliance', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(await compliance.getCompliance(credentials));
  });

  router.get('/gates/promotion', async (req, res) => {
    const { entityRef, version, environment } = req.query;
    const { entity } = await readableModule(req, entityRef);
    res.json(await gate.decide(entity, version, environment));
  });

  // Waivers -----------------------------------------------------------------------------------

  router.get('/waivers', async (req, res) => {
    const { entityRef: ref, status } = req.query;
    let entityRefs: string[];
    if (ref) {
      entityRefs = [(await readableModule(req, ref)).entityRef];
    } else {
      const credentials = await credentialsOf(req);
      entityRefs = (await access.listReadable(credentials)).map(entityRefOf);
    }
    res.json({ items: await waivers.list({ entityRefs, status }) });
  });

  router.post('/waivers', async (req, res) => {
    const credentials = await credentialsOf(req);
    const input = waivers.parseRequest(req.body);
    await access.requireReportable(
      credentials,
      input.entityRef,
      'requestWaiver',
    );
    await catalog.requireEntity(input.entityRef, credentials);
    res.status(201).json(await waivers.request(input, credentials));
  });

  router.post('/waivers/:id/withdraw', async (req, res) => {
    const credentials = await credentialsOf(req);
    const waiver = await waivers.get(req.params.id);
    await authorize(
      permissions,
      credentials,
      mlInfraWaiverCreatePermission,
      waiver.entityRef,
    );
    res.json(await waivers.withdraw(waiver.id, req.body, credentials));
  });

  for (const action of ['approve', 'reject', 'revoke'] as const) {
    router.post(`/waivers/:id/${action}`, async (req, res) => {
      const credentials = await credentialsOf(req);
      access.requireUser(credentials);
      await authorize(
        permissions,
        credentials,
        action === 'revoke'
          ? mlInfraWaiverRevokePermission
          : mlInfraWaiverApprovePermission,
      );
      res.json(
        await waivers.decide(req.params.id, action, req.body, credentials),
      );
    });
  }

  router.get('/waivers/:id/audit', async (req, res) => {
    const waiver = await waivers.get(req.params.id);
    await readableModule(req, waiver.entityRef);
    res.json({ items: await waivers.audit(waiver.id) });
  });

  return outer;
}
