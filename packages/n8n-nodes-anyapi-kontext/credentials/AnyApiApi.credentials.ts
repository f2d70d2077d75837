import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

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
