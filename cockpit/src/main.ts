// The cockpit's entry: mounts the app and starts the live link to the monitor.
import { mount } from 'svelte';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
