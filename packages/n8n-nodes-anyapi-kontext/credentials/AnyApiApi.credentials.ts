import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class AnyApiApi implements ICredentialType {
	name = 'anyApiApi';

	displayName = 'AnyAPI API';

	icon: Icon = {
		light: 'file:../nodes/AnyApiKontext/anyapi.svg',
		dark: 'file:../nodes/AnyApiKontext/anyapi.dark.svg',
	};

	documentationUrl =
		'https://github.com/anyapi-kontext/anyapi-kontext/tree/main/packages/n8n-nodes-anyapi-kontext#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your AnyAPI key. It is sent as a Bearer token and never shown in outputs or errors.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://www.anyapi.vip',
			description: 'The AnyAPI host. Change it only for a proxy or a local test server.',
		},
	];

	/**
	 * The key as a Bearer token on every request. A function, not the generic `=Bearer
	 * {{$credentials.apiKey}}`: n8n would run that expression through its expression engine for
	 * every request (n8n 2.x: in an isolate), the biggest cost of a request in an Edit of many items.
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return { ...requestOptions, headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey)}` } };
	}

	// Reading the key's usage costs nothing. (axios joins the base URL and the path, a trailing
	// slash on the base URL included.)
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/usage/token/',
			method: 'GET',
		},
	};
}
