// Renderer entry: mounts the app once the client has picked its bridge.
import { mount } from 'svelte';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
